-- Open311 GeoReport v2 clients (civic apps, other government systems): one api key each, issued
-- and revoked by an admin. Only a SHA-256 of the key is kept: the key is shown once, at creation.
-- A random 256-bit key needs no slow hash; the digest alone cannot be turned back into a key.
CREATE TABLE open311_clients (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  key_hash    bytea NOT NULL UNIQUE,
  -- The key's first characters, so that an admin can tell which key a client is using.
  key_prefix  text NOT NULL,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoked_by  uuid REFERENCES users (id)
);
