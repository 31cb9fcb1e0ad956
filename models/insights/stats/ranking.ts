import type { Queryable } from '../../../infra/db.js';
import type { UnitFigures } from './unit-stats.js';

/** How the three rates weigh in a unit's score (they sum to 1), and what overdue work costs it. */
export interface RankingWeights {
  readonly response: number;
  readonly resolution: number;
  readonly satisfaction: number;
  /** Subtracted from the score per unit of overdue rate (red cards per 签收 asked): 0 for none. */
  readonly overduePenalty: number;
}

/** A stored set of weights: the newest is in force, the older ones are the record of changes. */
export interface StoredWeights extends RankingWeights {
  readonly version: number;
  readonly updatedAt: Date;
  readonly updatedBy: { readonly id: string; readonly username: string } | null;
}

/** Who is ranked against whom: the city's counties (with the high-tech and other zones), or its departments. */
export const RANKING_GROUPS = {
  counties: ['county'],
  // The 12345 centre itself is the assessor, not one of the assessed.
  departments: ['department', 'petitions_office', 'disclosure_office'],
} as const satisfies Record<string, readonly string[]>;
export type RankingGroup = keyof typeof RANKING_GROUPS;

/** A unit's place in a ranking: its figures, its score (null: no rate to judge it by) and its rank. */
export interface RankedUnit extends UnitFigures {
  readonly rank: number | null;
  readonly score: number | null;
  readonly overdueRate: number | null;
}

interface WeightRow {
  id: number;
  response: number;
  resolution: number;
  satisfaction: number;
  overdue_penalty: number;
  created_at: Date;
  created_by: string | null;
  username: string | null;
}

const toStored = (r: WeightRow): StoredWeights => ({
  version: r.id,
  response: r.response,
  resolution: r.resolution,
  satisfaction: r.satisfaction,
  overduePenalty: r.overdue_penalty,
  updatedAt: r.created_at,
  updatedBy: r.created_by ? { id: r.created_by, username: r.username ?? '' } : null,
});

const SELECT_WEIGHTS = `SELECT w.*, u.username FROM ranking_weight_sets w LEFT JOIN users u ON u.id = w.created_by`;

/** The weights in force and, newest first, the earlier versions (who set them and when). */
export async function weightHistory(db: Queryable, limit: number): Promise<StoredWeights[]> {
  const { rows } = await db.query<WeightRow>(`${SELECT_WEIGHTS} ORDER BY w.id DESC LIMIT $1`, [limit]);
  return rows.map(toStored);
}

/** The weights in force (migration 006 stores the first set). */
export async function currentWeights(db: Queryable): Promise<StoredWeights> {
  const [current] = await weightHistory(db, 1);
  if (!current) throw new Error('ranking_weight_sets is empty: migration 006 did not run');
  return current;
}

/** Stores a new set of weights, in force at once; the database refuses a set whose rates do not sum to 1. */
export async function saveWeights(db: Queryable, weights: RankingWeights, actorId: string): Promise<StoredWeights> {
  const { rows } = await db.query<WeightRow>(
    `WITH w AS (
       INSERT INTO ranking_weight_sets (response, resolution, satisfaction, overdue_penalty, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING *
     )
     SELECT w.*, u.username FROM w LEFT JOIN users u ON u.id = w.created_by`,
    [weights.response, weights.resolution, weights.satisfaction, weights.overduePenalty, actorId],
  );
  const stored = rows[0];
  if (!stored) throw new Error('the weights were not stored');
  return toStored(stored);
}

// Scores are compared at this precision, so that float noise (0.1 + 0.2) cannot split a tie.
const SCORE_DIGITS = 1e6;
// Code points, not a locale: the same order on every machine.
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The score of a unit: the weighted mean of its rates, over the rates it has (a unit nobody rated
 * is judged on the other two), less the overdue penalty times its overdue rate. Null when it has
 * none of the weighted rates: no data to judge it by.
 */
export function scoreOf(f: UnitFigures, w: RankingWeights): { score: number | null; overdueRate: number | null } {
  const overdueRate = f.acceptDue === 0 ? null : Math.min(1, f.overdue / f.acceptDue);
  const parts = ([[w.response, f.responseRate], [w.resolution, f.resolutionRate], [w.satisfaction, f.satisfactionRate]] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null && p[0] > 0);
  const weight = parts.reduce((sum, [wt]) => sum + wt, 0);
  if (weight === 0) return { score: null, overdueRate };
  const mean = parts.reduce((sum, [wt, r]) => sum + wt * r, 0) / weight;
  return { score: Math.round((mean - w.overduePenalty * (overdueRate ?? 0)) * SCORE_DIGITS) / SCORE_DIGITS, overdueRate };
}

/**
 * Ranks units by score, highest first. Ties go to the unit that was asked to sign for more
 * cases (more work at the same quality), then by unit code, so the order is always the same.
 * Units without a score come last, in code order, with rank null.
 */
export function rankUnits(units: readonly UnitFigures[], weights: RankingWeights): RankedUnit[] {
  const scored = units.map((f) => ({ ...f, ...scoreOf(f, weights) }));
  scored.sort((a, b) => {
    if (a.score === null || b.score === null) return a.score === b.score ? byCode(a.unitCode, b.unitCode) : a.score === null ? 1 : -1;
    return b.score - a.score || b.acceptDue - a.acceptDue || byCode(a.unitCode, b.unitCode);
  });
  return scored.map((u, i) => ({ ...u, rank: u.score === null ? null : i + 1 }));
}
