-- The minute's sweep for deadline effects that fell due without their job read every open case
-- and unfolded its eight effects: 0.6 s of PostgreSQL every minute at 5,000,000 cases (37,000 open).
-- This index keeps each open case under the earliest instant one of its effects can still fire:
-- not applied yet, and its clock running in the case's status (clockRunningSql in
-- models/time-limits/deadline-rules.ts); NULL when there is none. The sweep then reads only the
-- cases due now. The expression is NEXT_EFFECT_AT in models/time-limits/deadline-effects.ts,
-- argument for argument: PostgreSQL uses the index only for the same expression. Migration 031's
-- index on open cases stays: the start-up reconciliation walks it in order of id.
CREATE INDEX cases_next_effect_idx ON cases ((LEAST(
    CASE WHEN accept_warned_at IS NULL AND status IN ('dispatched') THEN accept_warn_at END,
    CASE WHEN accept_overdue_at IS NULL AND status IN ('dispatched') THEN accept_by END,
    CASE WHEN reply_warned_at IS NULL AND (status IN ('registered', 'dispatched', 'in_progress', 'returned') AND clock_paused_at IS NULL) THEN reply_warn_at END,
    CASE WHEN reply_overdue_at IS NULL AND (status IN ('registered', 'dispatched', 'in_progress', 'returned') AND clock_paused_at IS NULL) THEN reply_by END,
    CASE WHEN arbitrate_warned_at IS NULL AND status IN ('dispatched', 'in_progress') THEN arbitrate_warn_at END,
    CASE WHEN arbitrate_overdue_at IS NULL AND status IN ('dispatched', 'in_progress') THEN arbitrate_by END,
    CASE WHEN third_party_warned_at IS NULL AND status IN ('in_progress') THEN third_party_warn_at END,
    CASE WHEN third_party_overdue_at IS NULL AND status IN ('in_progress') THEN third_party_by END)))
  WHERE status IN ('registered', 'dispatched', 'in_progress', 'returned');

-- The planner has no statistics of the new expression until the table is analyzed again.
ANALYZE cases;
