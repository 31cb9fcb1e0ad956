-- The limits of the procedures (the third party's answer, the centre's arbitration, the window for
-- a rating appeal) are versioned with the policy set, so that every such deadline records the
-- version that produced it. NULL: the statutory and practice defaults of the code.
ALTER TABLE time_limit_policy_sets ADD COLUMN procedure_limits jsonb;
