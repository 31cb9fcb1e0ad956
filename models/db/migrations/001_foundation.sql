-- Units: the organisation tree (divisions by GB/T 2260 code, departments as <parentCode>-<slug>).
CREATE TABLE units (
  code            text PRIMARY KEY,
  name            text NOT NULL,
  short_name      text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('city', 'county', 'township', 'department',
                    'petitions_office', 'disclosure_office', 'hotline_centre')),
  parent_code     text REFERENCES units (code),
  -- Materialised ancestry ('3713/371325/371325105/') so that a subtree is one prefix match.
  path            text NOT NULL UNIQUE,
  pinyin          text NOT NULL,
  pinyin_initials text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_parent_idx ON units (parent_code);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);
CREATE INDEX units_kind_idx ON units (kind);

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'handler')),
  unit_code     text REFERENCES units (code),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES users (id),
  CHECK (role <> 'handler' OR unit_code IS NOT NULL)
);

-- Global sequence behind case numbers: unique without a lock, and increasing with time.
CREATE SEQUENCE case_no_seq;

CREATE TABLE cases (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_no            text NOT NULL UNIQUE,
  query_code         char(6) NOT NULL,
  channel            text NOT NULL CHECK (channel IN ('hotline', 'mailbox', 'microblog', 'wechat', 'web_qa',
                       'in_person', 'letter', 'fax', 'online', 'other')),
  external_id        text,
  type               text NOT NULL CHECK (type IN ('consultation', 'help', 'complaint', 'report', 'suggestion',
                       'praise', 'petition', 'disclosure')),
  category           text,
  title              text,
  content            text NOT NULL,
  address            text,
  division_code      text,
  division           jsonb,
  citizen            jsonb NOT NULL DEFAULT '{}',
  urgency            text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'emergency')),
  status             text NOT NULL DEFAULT 'registered',
  assigned_unit_code text REFERENCES units (code),
  routing            jsonb,
  received_at        timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  created_by         uuid REFERENCES users (id),
  idempotency_key    text,
  -- A hash of the request that created the case: a retry must carry the same request.
  intake_fingerprint text,
  reopen_count       integer NOT NULL DEFAULT 0,
  supervised         boolean NOT NULL DEFAULT false,
  -- Bumped by every action: the optimistic check that two concurrent actions cannot both pass.
  version            integer NOT NULL DEFAULT 1,
  UNIQUE (channel, external_id),
  UNIQUE (created_by, idempotency_key)
);
CREATE INDEX cases_unit_created_idx ON cases (assigned_unit_code, created_at DESC, id DESC);
CREATE INDEX cases_status_created_idx ON cases (status, created_at DESC, id DESC);
CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC);
CREATE INDEX cases_division_idx ON cases (division_code text_pattern_ops);

-- The append-only timeline of every case.
CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases (id),
  action      text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  actor_id    uuid REFERENCES users (id),
  actor_role  text NOT NULL,
  actor_unit  text,
  unit_code   text,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}',
  public      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Messages to publish after commit (socket pushes, jobs, outbound replies).
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id      uuid REFERENCES cases (id),
  event_id     bigint REFERENCES case_events (id),
  topic        text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE channel_configs (
  channel    text PRIMARY KEY CHECK (channel IN ('microblog', 'wechat', 'web_qa')),
  secret     text NOT NULL,
  reply_url  text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);
