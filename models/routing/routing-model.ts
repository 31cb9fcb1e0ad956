import type { Queryable } from '../../infra/db.js';
import { labelOfUnit, UnitClassifier, type LearnedRouting, type TrainingExample } from '../../routing-rules/classifier.js';
import { normalizeText } from '../../routing-rules/segmenter.js';
import { modelTokens } from '../../routing-rules/tokens.js';
import { CITY_CODE } from '../org/seed/departments.js';

/** How sure the learned model must be, and how much of history it learns from at start-up. */
export interface RoutingModelOptions {
  readonly threshold: number;
  readonly minExamples: number;
  /** The most recent centre dispatches read at start-up. */
  readonly maxExamples: number;
}

export const DEFAULT_ROUTING_MODEL_OPTIONS: RoutingModelOptions = { threshold: 1, minExamples: 5, maxExamples: 200_000 };

/** The learned model of one process, and how to catch up with the dispatches committed since. */
export interface RoutingModel {
  readonly learned: LearnedRouting;
  /** Learns the centre dispatches committed since the last call; resolves true when there were any. */
  refresh(): Promise<boolean>;
}

/** Segments a case text as routing does. */
export type Tokenize = (text: string) => string[];

interface DispatchRow {
  id: string;
  case_id: string;
  unit_code: string;
  title: string | null;
  content: string;
  division_code: string | null;
}

// A transaction may commit an event id below one already read: each refresh looks back this
// many ids and skips those it has learned.
const LOOK_BACK = 1_000;

// Every dispatch a person made (from the manual queue, after a 退单, or correcting an earlier
// dispatch) is a labelled example; dispatches by the rules (actor_role 'system') teach nothing new.
const DISPATCHES = `
  SELECT e.id, e.case_id, e.unit_code, c.title, c.content, c.division_code
    FROM case_events e JOIN cases c ON c.id = e.case_id
   WHERE e.action = 'dispatch' AND e.actor_role <> 'system' AND e.unit_code IS NOT NULL AND e.id > $1`;

function placeOf(divisionCode: string | null): { countyCode: string | null; townshipCode: string | null } {
  if (divisionCode === null) return { countyCode: null, townshipCode: null };
  return { countyCode: divisionCode.slice(0, 6), townshipCode: divisionCode.length === 9 ? divisionCode : null };
}

/**
 * The model of the centre's dispatches, empty until the first refresh reads history; each later
 * refresh learns what was committed since. A later dispatch of
 * the same case replaces its earlier example, so a correction teaches and the mistake is unlearned.
 */
export function createRoutingModel(db: Queryable, tokenize: Tokenize, options: RoutingModelOptions = DEFAULT_ROUTING_MODEL_OPTIONS): RoutingModel {
  const classifier = new UnitClassifier();
  const byCase = new Map<string, TrainingExample>();
  const learnedIds = new Set<string>();
  let lastId = 0;
  let pending: Promise<boolean> | undefined;

  const learn = (row: DispatchRow): boolean => {
    if (learnedIds.has(row.id)) return false;
    learnedIds.add(row.id);
    lastId = Math.max(lastId, Number(row.id));
    const tokens = modelTokens(tokenize(normalizeText(`${row.title ?? ''}\n${row.content}`)));
    const example = { tokens, label: labelOfUnit(row.unit_code, placeOf(row.division_code), CITY_CODE) };
    const earlier = byCase.get(row.case_id);
    if (earlier) classifier.remove(earlier);
    classifier.add(example);
    byCase.set(row.case_id, example);
    return true;
  };
  const forgetOldIds = (): void => {
    for (const id of learnedIds) if (Number(id) <= lastId - LOOK_BACK) learnedIds.delete(id);
  };

  const catchUp = async (): Promise<boolean> => {
    // The first call reads the most recent history; later ones what was committed since.
    const { rows } =
      lastId === 0
        ? await db.query<DispatchRow>(`SELECT * FROM (${DISPATCHES} ORDER BY e.id DESC LIMIT $2) recent ORDER BY id`, [0, options.maxExamples])
        : await db.query<DispatchRow>(`${DISPATCHES} ORDER BY e.id`, [Math.max(0, lastId - LOOK_BACK)]);
    const learnedAny = rows.map(learn).some(Boolean);
    forgetOldIds();
    return learnedAny;
  };

  return {
    learned: { classifier, threshold: options.threshold, minExamples: options.minExamples },
    // One catch-up at a time: two at once would both learn the same rows.
    refresh: () => {
      const next = (pending ?? Promise.resolve(false)).then(catchUp, catchUp);
      pending = next;
      return next;
    },
  };
}
