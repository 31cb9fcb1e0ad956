-- First-dispatch accuracy over a year read every undoing of the year's first dispatches from the
-- timeline, one heap fetch each (half a second over a year of 1,000,000 cases). The sealed ones are
-- summed here with the other rollups (stat_seal), by the Asia/Shanghai day of the first dispatch
-- they undo, the day they were registered and the unit the first dispatch went to. The day of
-- registration lets a reader take exactly the undoings before a seal, as the other rollups do.
CREATE TABLE stat_first_undone_days (
  day            date NOT NULL,
  registered_day date NOT NULL,
  unit_code      text NOT NULL,
  undone         integer NOT NULL,
  PRIMARY KEY (day, registered_day, unit_code)
);

-- What is already sealed, so that the seal and this table agree from the start.
INSERT INTO stat_first_undone_days (day, registered_day, unit_code, undone)
SELECT ((e.data->>'firstDispatchAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, (e.created_at AT TIME ZONE 'Asia/Shanghai')::date,
       e.data->>'firstDispatchUnit', count(*)
  FROM case_events e
 WHERE e.action IN ('return', 'dispatch') AND e.data ? 'firstDispatchAt'
   AND e.created_at < (SELECT sealed_until FROM stat_seal)
 GROUP BY 1, 2, 3;

-- The undoings registered since the seal (today's), read with the rollup's whole days.
CREATE INDEX case_events_undoings_created_idx ON case_events (created_at)
  WHERE action IN ('return', 'dispatch') AND data ? 'firstDispatchAt';
