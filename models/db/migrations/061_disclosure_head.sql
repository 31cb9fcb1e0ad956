-- 《政府信息公开条例》 art. 33: an extension of a disclosure request needs the consent of the head of
-- the disclosure office (政府信息公开工作机构负责人). The admin designates that head among the
-- handlers of a disclosure office; the application checks the unit's kind when the flag is set.
ALTER TABLE users
  ADD COLUMN disclosure_head boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT users_disclosure_head_is_handler CHECK (NOT disclosure_head OR role = 'handler');
