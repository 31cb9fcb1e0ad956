-- Unit statistics (docs/statistics.md). Figures are counted from case_events; past days are
-- summed once into rollups so that a year answers without re-reading ten million events.

-- The period filter over the timeline (the edges of a period, today, a day being sealed) uses
-- case_events_created_idx of migration 005.

-- 答复 due in a period counts red cards (reply overdue) not answered by the end of it: for the
-- red cards of days not sealed yet, the unit's replies to the same case are looked up here.
CREATE INDEX case_events_reply_overdue_idx ON case_events (created_at) INCLUDE (id, case_id, unit_code)
  WHERE action = 'deadline_overdue' AND data->>'kind' = 'reply';
CREATE INDEX case_events_replies_idx ON case_events (case_id, id) INCLUDE (unit_code, created_at)
  WHERE action = 'reply';

-- The sealed reply red cards, each with the unit's first reply after it if that reply is before
-- the seal (NULL: none yet; each seal fills in those answered since).
CREATE TABLE stat_red_cards (
  event_id    bigint PRIMARY KEY,
  case_id     uuid NOT NULL,
  unit_code   text NOT NULL,
  at          timestamptz NOT NULL,
  answered_at timestamptz
);
CREATE INDEX stat_red_cards_at_idx ON stat_red_cards (at) INCLUDE (unit_code, answered_at, case_id);
CREATE INDEX stat_red_cards_pending_idx ON stat_red_cards (event_id) WHERE answered_at IS NULL;

-- Per unit and day (Asia/Shanghai), the additive figures of that day's events. Written once per
-- day when the day is sealed; a unit is the event's unit (the returning unit for a return).
CREATE TABLE stat_unit_days (
  day                 date NOT NULL,
  unit_code           text NOT NULL,
  dispatched          integer NOT NULL,
  reopened            integer NOT NULL,
  accepted_on_time    integer NOT NULL,
  replied             integer NOT NULL,
  replied_on_time     integer NOT NULL,
  overdue             integer NOT NULL,
  returned            integer NOT NULL,
  extended            integer NOT NULL,
  escalated           integer NOT NULL,
  satisfied           integer NOT NULL,
  basically_satisfied integer NOT NULL,
  dissatisfied        integer NOT NULL,
  PRIMARY KEY (day, unit_code)
);

-- Arrivals (dispatch, forward, reopen) of a case into a subtree it had already reached: one row
-- per arrival and per subtree root above (or at) its unit, with when the case last arrived there
-- before. `received` over a period is arrivals minus those whose previous arrival is in the
-- period too. The past of an event never changes, so these rows are written once.
CREATE TABLE stat_repeat_arrivals (
  event_id bigint NOT NULL,
  root     text NOT NULL,
  at       timestamptz NOT NULL,
  prev_at  timestamptz NOT NULL,
  PRIMARY KEY (event_id, root)
);
CREATE INDEX stat_repeat_arrivals_root_idx ON stat_repeat_arrivals (root, at) INCLUDE (prev_at);
-- A period's repeats whose previous arrival is before the period: within a day of its start, or
-- among the few that came back after more than a day (reopens, late re-dispatches).
CREATE INDEX stat_repeat_arrivals_late_idx ON stat_repeat_arrivals (root, at) INCLUDE (prev_at)
  WHERE at - prev_at > interval '1 day';

-- Repeat arrivals per root and day (Asia/Shanghai), for whole sealed days.
CREATE TABLE stat_repeat_days (
  day     date NOT NULL,
  root    text NOT NULL,
  repeats integer NOT NULL,
  PRIMARY KEY (day, root)
);

-- Events before `sealed_until` (a midnight, Asia/Shanghai) are in the tables above.
CREATE TABLE stat_seal (
  id           boolean PRIMARY KEY DEFAULT true CHECK (id),
  sealed_until timestamptz NOT NULL,
  sealed_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO stat_seal (sealed_until) VALUES ('1970-01-01T00:00:00Z');

-- The weights of the unit ranking (县区排名). Each PUT adds a row; the newest is in force, and the
-- rows are the record of who changed them and when.
CREATE TABLE ranking_weight_sets (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  response        numeric(5, 4) NOT NULL CHECK (response BETWEEN 0 AND 1),
  resolution      numeric(5, 4) NOT NULL CHECK (resolution BETWEEN 0 AND 1),
  satisfaction    numeric(5, 4) NOT NULL CHECK (satisfaction BETWEEN 0 AND 1),
  overdue_penalty numeric(5, 4) NOT NULL DEFAULT 0 CHECK (overdue_penalty BETWEEN 0 AND 1),
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      uuid REFERENCES users (id),
  CHECK (response + resolution + satisfaction = 1)
);
CREATE TRIGGER ranking_weight_sets_append_only BEFORE UPDATE OR DELETE ON ranking_weight_sets
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
INSERT INTO ranking_weight_sets (response, resolution, satisfaction, overdue_penalty) VALUES (0.3, 0.4, 0.3, 0);
