-- 《信访工作条例》 (2022): the petitions office decides whether to accept a petition (受理 or 不予受理,
-- with the statutory channel it belongs to); a petition is reviewed (复查) and re-reviewed (复核)
-- at most once each, after which the matter is concluded (终结); a new petition on a concluded
-- matter is linked to it at intake and waits for the office's decision.
ALTER TABLE cases
  ADD COLUMN petition_decision text CHECK (petition_decision IN ('accepted', 'rejected')),
  ADD COLUMN proper_channel text CHECK (proper_channel IN ('litigation', 'arbitration', 'administrative_review', 'other')),
  ADD COLUMN review_level smallint NOT NULL DEFAULT 0 CHECK (review_level BETWEEN 0 AND 2),
  ADD COLUMN concluded_case_id uuid REFERENCES cases (id);

-- Petitions signed for before the decision existed were accepted; a review asked before is a 复查.
UPDATE cases SET petition_decision = 'accepted' WHERE type = 'petition' AND status IN ('in_progress', 'replied', 'closed');
UPDATE cases SET review_level = 1 WHERE review_requested_at IS NOT NULL;

-- The written notice of the decision goes out through the source channel: the relay's claim widens
-- (OPEN311_STATUS_TOPICS in models/outbound.ts builds it with this same literal list).
DROP INDEX outbox_outbound_pending_idx;
CREATE INDEX outbox_outbound_pending_idx ON outbox (id)
  WHERE outbound_synced_at IS NULL
    AND topic IN ('case.reply', 'case.close', 'case.reopen', 'case.accept_petition', 'case.reject_petition',
                  'case.dispatch', 'case.forward', 'case.accept', 'case.return');

-- Petitions not accepted, per unit and day, beside the other figures of the daily rollup.
ALTER TABLE stat_unit_days ADD COLUMN petitions_rejected integer NOT NULL DEFAULT 0;
