-- The dashboard's case mix (GET /api/stats/case-mix) over a year read every case of the year. Its
-- sealed part is summed here once, with the other rollups (stat_seal): cases registered before the
-- seal, by the Asia/Shanghai day they were received, channel and division ('' for none). A case
-- registered late with an earlier receipt time adds to an older day when its registration is sealed.
CREATE TABLE stat_case_mix_days (
  day           date NOT NULL,
  channel       text NOT NULL,
  division_code text NOT NULL,
  received      integer NOT NULL,
  PRIMARY KEY (day, channel, division_code)
);

-- What is already sealed, so that the seal and this table agree from the start.
INSERT INTO stat_case_mix_days (day, channel, division_code, received)
SELECT (c.received_at AT TIME ZONE 'Asia/Shanghai')::date, c.channel, coalesce(c.division_code, ''), count(*)
  FROM cases c
 WHERE c.created_at < (SELECT sealed_until FROM stat_seal)
 GROUP BY 1, 2, 3;

-- A unit's subtree (a county's drill-down, a handler's own view) is read from the cases assigned
-- to it; this index answers that from the index alone.
CREATE INDEX cases_unit_received_idx ON cases (assigned_unit_code, received_at) INCLUDE (channel, division_code, created_at);
