-- Replies through the channel a case came from (按来源渠道回复): the outbound relay consumes the
-- outbox on its own flag, beside the socket and deadline consumers.
-- Rows already there when this migration runs are marked consumed (a default filled in without
-- rewriting the table, then dropped): a deployment must not message citizens about old replies.
ALTER TABLE outbox ADD COLUMN outbound_synced_at timestamptz DEFAULT now();
ALTER TABLE outbox ALTER COLUMN outbound_synced_at DROP DEFAULT;
CREATE INDEX outbox_outbound_pending_idx ON outbox (id) WHERE outbound_synced_at IS NULL;

-- The mayor's mailbox answers by e-mail through an SMTP server, the hotline by SMS through a
-- gateway; both are configured beside the social channels. The mailbox may have no secret (an
-- SMTP server without authentication), and its server settings live in `settings`.
ALTER TABLE channel_configs DROP CONSTRAINT IF EXISTS channel_configs_channel_check;
ALTER TABLE channel_configs ADD CONSTRAINT channel_configs_channel_check
  CHECK (channel IN ('microblog', 'wechat', 'web_qa', 'mailbox', 'hotline'));
ALTER TABLE channel_configs ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE channel_configs ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

-- "Was this event already delivered (or given up on)?" is asked before every send.
CREATE INDEX case_events_delivery_idx ON case_events (case_id, ((data->>'eventId')::bigint))
  WHERE action IN ('reply_delivered', 'reply_delivery_failed', 'reply_delivery_skipped');
