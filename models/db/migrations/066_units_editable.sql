-- Admins create, rename, move and disable units (PATCH /api/units/{code}). A disabled unit keeps
-- its cases and history but is offered in no picker, and routing dispatches nothing to it.
ALTER TABLE units ADD COLUMN disabled_at timestamptz;
