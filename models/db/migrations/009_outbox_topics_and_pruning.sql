-- The outbound relay claims only the topics that carry news for the citizen (OUTBOUND_TOPICS in
-- models/outbound.ts, which builds its claim with this same literal list so that the planner uses
-- this index): other rows are never its to mark, which saves one update of every outbox row.
DROP INDEX outbox_outbound_pending_idx;
CREATE INDEX outbox_outbound_pending_idx ON outbox (id)
  WHERE outbound_synced_at IS NULL AND topic IN ('case.reply', 'case.close', 'case.reopen');

-- Delivered rows are pruned after a retention (OUTBOX_RETENTION_HOURS). A hot-topic alert keeps
-- its facts in its own row; the outbox row that announced it may go.
ALTER TABLE hot_topic_alerts DROP CONSTRAINT hot_topic_alerts_outbox_id_fkey;
CREATE INDEX outbox_created_idx ON outbox (created_at);
