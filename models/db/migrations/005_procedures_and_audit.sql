-- merge: a duplicate is closed into the case that carries on; both timelines are kept.
ALTER TABLE cases
  ADD COLUMN merged_into         uuid REFERENCES cases (id),
  -- Disclosure requests (依申请公开) answer with a statutory outcome, and a ground when withheld.
  ADD COLUMN disclosure_outcome  text CHECK (disclosure_outcome IN ('already_public', 'disclosed', 'partly_disclosed',
                                   'not_disclosed', 'not_held', 'not_exist', 'amend', 'other_route', 'withdrawn')),
  ADD COLUMN disclosure_ground   text CHECK (disclosure_ground IN ('state_secret', 'commercial_secret', 'privacy',
                                   'security_stability', 'not_government_info', 'other_statutory')),
  ADD COLUMN legal_basis         text,
  -- The unit that first received the request: a petition's result is fed back to it.
  ADD COLUMN received_by_unit    text REFERENCES units (code),
  ADD COLUMN review_requested_at timestamptz;

CREATE INDEX cases_disclosure_received_idx ON cases (received_at) WHERE type = 'disclosure';

-- Changes to configuration and accounts that have no timeline of their own (users, policies,
-- calendar, channels, weights). Cases and routing rules keep their own append-only histories.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id     uuid REFERENCES users (id),
  action       text NOT NULL,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  before       jsonb,
  after        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE INDEX case_events_actor_idx ON case_events (actor_id, created_at DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX case_events_created_idx ON case_events (created_at DESC, id DESC);
