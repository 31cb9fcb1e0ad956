-- A working-day deadline counted over a year whose 调休 schedule is not published yet (statutory
-- holidays only) is provisional: it may move once that year's schedule is loaded. Stored, not
-- derived from today's calendar, so that loading a schedule does not clear the flag of a deadline
-- that was never recomputed, and so that the open cases to recompute can be found.
ALTER TABLE cases
  ADD COLUMN accept_provisional boolean NOT NULL DEFAULT false,
  ADD COLUMN reply_provisional  boolean NOT NULL DEFAULT false;
