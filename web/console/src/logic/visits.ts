import { SATISFACTION_LABELS } from './actions.js';

export type Satisfaction = keyof typeof SATISFACTION_LABELS;

/** The choices of the return visit (回访), in the order they are read to the citizen. */
export const SATISFACTION_CHOICES = (Object.keys(SATISFACTION_LABELS) as Satisfaction[]).map((value) => ({ value, label: SATISFACTION_LABELS[value] }));

/** The return visit as one `close` action: the citizen's satisfaction and what they said, closing the case. */
export function visitBody(satisfaction: Satisfaction, comment: string, expectedVersion?: number): Record<string, unknown> {
  return {
    action: 'close',
    satisfaction,
    ...(comment.trim() ? { comment: comment.trim() } : {}),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
}
