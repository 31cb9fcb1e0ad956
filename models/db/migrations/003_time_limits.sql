-- Deadlines live on the case: the database is the source of truth, jobs only carry ids.
-- `*_warned_at` / `*_overdue_at` record that an effect was applied, so that it applies once.
ALTER TABLE cases
  ADD COLUMN accept_by          timestamptz,
  ADD COLUMN accept_warn_at     timestamptz,
  ADD COLUMN accept_warned_at   timestamptz,
  ADD COLUMN accept_overdue_at  timestamptz,
  ADD COLUMN reply_by           timestamptz,
  ADD COLUMN reply_warn_at      timestamptz,
  ADD COLUMN reply_warned_at    timestamptz,
  ADD COLUMN reply_overdue_at   timestamptz,
  -- Bumped whenever a deadline moves or stops; a job for an older version does nothing.
  ADD COLUMN deadline_version   integer NOT NULL DEFAULT 1,
  -- The policy (id, policy-set version, limits) that produced the deadlines.
  ADD COLUMN deadline_policy    jsonb,
  -- 补正: the reply clock of a disclosure request stops until the applicant answers.
  ADD COLUMN clock_paused_at    timestamptz,
  ADD COLUMN pending_extension  jsonb,
  ADD COLUMN extensions         jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN escalated_to       text REFERENCES units (code),
  -- The answer given to the citizen (答复), shown on the public view.
  ADD COLUMN reply              text,
  ADD COLUMN replied_at         timestamptz;

-- Each PUT of the policies stores the whole set as a new version; the highest is in force.
CREATE TABLE time_limit_policy_sets (
  version    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  policies   jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES users (id)
);

-- Admin overrides of the national calendar: a date made a working day or a holiday.
CREATE TABLE calendar_overrides (
  date       date PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  note       text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);

-- Years whose official schedule an admin loaded (the package covers the others it knows).
CREATE TABLE calendar_loaded_years (
  year      integer PRIMARY KEY,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  loaded_by uuid REFERENCES users (id)
);

-- The deadline scheduler consumes the outbox on its own flag, beside other consumers.
ALTER TABLE outbox ADD COLUMN deadlines_synced_at timestamptz;
CREATE INDEX outbox_deadlines_pending_idx ON outbox (id) WHERE deadlines_synced_at IS NULL;
