-- The third party's answer (art. 32) and the centre's arbitration are counted in working days like
-- the reply: over a year without an official 调休 schedule they are provisional too, and are
-- counted again when that year's schedule is loaded (see 032_provisional_deadlines.sql).
ALTER TABLE cases
  ADD COLUMN third_party_provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN arbitrate_provisional   boolean NOT NULL DEFAULT false;
