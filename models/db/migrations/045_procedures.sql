-- Issue 15: third-party consultation of a disclosure request, jurisdiction disputes and their
-- arbitration, rating appeals (不满意甄别). Each is state of one case, written by its actions.
ALTER TABLE cases
  -- 《政府信息公开条例》 arts. 32-33: whom the office consulted, why, by when the third party
  -- answers, and its answer; the reply clock is paused (clock_paused_at) while it is awaited.
  ADD COLUMN third_party_opinion  jsonb,
  -- A dispatch contested by its unit (管辖争议), waiting for the centre, and the unit it names.
  ADD COLUMN dispute              jsonb,
  ADD COLUMN disputed_with        text REFERENCES units (code),
  -- The centre's decision within 5 working days, with a warning like the other limits.
  ADD COLUMN arbitrate_by         timestamptz,
  ADD COLUMN arbitrate_warn_at    timestamptz,
  ADD COLUMN arbitrate_warned_at  timestamptz,
  ADD COLUMN arbitrate_overdue_at timestamptz,
  -- The unit the centre's arbitration bound to the case: it cannot return it on that ground again.
  ADD COLUMN arbitrated_unit      text REFERENCES units (code),
  -- A unit's appeal against a dissatisfied rating and the centre's decision on it.
  ADD COLUMN rating_appeal        jsonb;

-- A contested case is in the queue of the unit the dispute names, beside the assigned unit's.
CREATE INDEX cases_disputed_with_idx ON cases (disputed_with) WHERE disputed_with IS NOT NULL;

-- The unit statistics count these few events live over the whole history of a period.
CREATE INDEX case_events_procedures_idx ON case_events (action, created_at)
  WHERE action IN ('dispute_dispatch', 'arbitrate_dispute', 'appeal_rating', 'decide_rating_appeal');
