-- What an Open311 filing carries beyond the case itself: which client filed it, the service asked
-- for, and the fields the case has no column for (coordinates, media, the app's device and account).
CREATE TABLE open311_requests (
  case_id      uuid PRIMARY KEY REFERENCES cases (id),
  client_id    uuid NOT NULL REFERENCES open311_clients (id),
  service_code text NOT NULL,
  lat          double precision CHECK (lat BETWEEN -90 AND 90),
  long         double precision CHECK (long BETWEEN -180 AND 180),
  media_url    text,
  device_id    text,
  account_id   text,
  attributes   jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX open311_requests_client_idx ON open311_requests (client_id, created_at DESC);

-- GET requests selects by receipt time, newest first (default: the last 90 days).
CREATE INDEX cases_received_idx ON cases (received_at DESC, id DESC);
