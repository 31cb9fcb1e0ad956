-- Accounts that can be changed and revoked (issue 11, item 7), and usernames compared as they are
-- typed at login (item 3): trimmed, NFKC, lower-case, so that ' Admin', 'admin' and 'ＡＤＭＩＮ'
-- are one account and share one login limit.
UPDATE users SET username = lower(normalize(btrim(username), NFKC))
 WHERE username <> lower(normalize(btrim(username), NFKC));
ALTER TABLE users
  ADD CONSTRAINT users_username_normalised CHECK (username = lower(normalize(btrim(username), NFKC))),
  -- Carried in every access token; a change of password, role, unit or status bumps it, and a
  -- token with an older version is refused at once.
  ADD COLUMN token_version integer NOT NULL DEFAULT 0,
  ADD COLUMN disabled boolean NOT NULL DEFAULT false,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_by uuid REFERENCES users (id);
