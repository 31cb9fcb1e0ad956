-- A client's callback for status changes of the requests it filed: one active subscription per
-- client. The secret signs each delivery, so it is kept as is (it is shown to the client once).
CREATE TABLE open311_subscriptions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id    uuid NOT NULL REFERENCES open311_clients (id),
  callback_url text NOT NULL,
  secret       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE UNIQUE INDEX open311_subscriptions_active_idx ON open311_subscriptions (client_id) WHERE revoked_at IS NULL;

-- What became of each notification: one row per event and subscription, written after the last
-- attempt, so that a job run again finds it and sends nothing.
CREATE TABLE open311_deliveries (
  event_id        bigint NOT NULL REFERENCES case_events (id),
  subscription_id uuid NOT NULL REFERENCES open311_subscriptions (id),
  outcome         text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  attempts        integer NOT NULL,
  error           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, subscription_id)
);
