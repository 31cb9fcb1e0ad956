-- Co-handling units (协办) see the case beside the unit it is assigned to.
ALTER TABLE cases ADD COLUMN co_units text[] NOT NULL DEFAULT '{}';
CREATE INDEX cases_co_units_idx ON cases USING gin (co_units) WHERE co_units <> '{}';

-- Routing rules as data. `version` counts the edits of one rule.
CREATE TABLE routing_rules (
  id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  name       text NOT NULL,
  priority   integer NOT NULL,
  enabled    boolean NOT NULL DEFAULT true,
  conditions jsonb NOT NULL,
  target     jsonb NOT NULL,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);

-- Every change to a rule: who, when, before and after. Its highest id is the rule set's version.
CREATE TABLE routing_rule_revisions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_id    text NOT NULL,
  version    integer NOT NULL,
  change     text NOT NULL CHECK (change IN ('create', 'update', 'delete', 'seed')),
  before     jsonb,
  after      jsonb,
  actor_id   uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rule_revisions_rule_idx ON routing_rule_revisions (rule_id, id);
CREATE TRIGGER routing_rule_revisions_append_only BEFORE UPDATE OR DELETE ON routing_rule_revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Whether the default rule files have been loaded once; after that rules live in the database.
CREATE TABLE system_flags (
  name   text PRIMARY KEY,
  set_at timestamptz NOT NULL DEFAULT now()
);
