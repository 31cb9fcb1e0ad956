-- The operator's desk lists the operator's own cases of the day (the caller's earlier cases use
-- the caller-phone index of migration 031).
CREATE INDEX cases_created_by_idx ON cases (created_by, created_at DESC) WHERE created_by IS NOT NULL;
