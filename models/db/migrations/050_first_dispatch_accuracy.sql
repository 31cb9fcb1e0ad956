-- First-dispatch accuracy and the auto-dispatch rate (docs/statistics.md). A case's first dispatch
-- carries data.first, and the return (退单) or re-dispatch that first undoes it carries when that
-- first dispatch was and where it went (data.firstDispatchAt, data.firstDispatchUnit), so that a
-- period's first dispatches and those undone since are both counted from events.

-- First dispatches and the automatic ones are additive per day: two more columns of the rollup.
-- Days sealed before this migration count none, as their events carry no marks.
ALTER TABLE stat_unit_days
  ADD COLUMN first_dispatched integer NOT NULL DEFAULT 0,
  ADD COLUMN auto_dispatched  integer NOT NULL DEFAULT 0;

-- The undoings of a period's first dispatches, found by when the first dispatch was (ISO text in
-- UTC: it sorts as the time does). Few events carry the mark: about one case in twenty-five.
CREATE INDEX case_events_first_undone_idx ON case_events ((data->>'firstDispatchAt'))
  WHERE action IN ('return', 'dispatch') AND data ? 'firstDispatchAt';
