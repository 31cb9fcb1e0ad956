-- The citizen's latest rating (评价): from the citizen page, or taken by phone at the return visit.
ALTER TABLE cases ADD COLUMN rating jsonb;
-- 催办 is allowed once per 24 hours per case: the time of the last one is checked under the row lock.
ALTER TABLE cases ADD COLUMN last_citizen_escalation_at timestamptz;
