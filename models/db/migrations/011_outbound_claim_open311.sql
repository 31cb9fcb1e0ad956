-- The outbound relay also tells subscribed Open311 clients of a case's steps of handling
-- (OPEN311_STATUS_TOPICS in models/outbound.ts builds the claim with this same literal list).
DROP INDEX outbox_outbound_pending_idx;
CREATE INDEX outbox_outbound_pending_idx ON outbox (id)
  WHERE outbound_synced_at IS NULL
    AND topic IN ('case.reply', 'case.close', 'case.reopen', 'case.dispatch', 'case.forward', 'case.accept', 'case.return');
