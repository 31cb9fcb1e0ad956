-- 《政府信息公开条例》 art. 32: the third party consulted on a disclosure request answers within
-- 15 working days. Its answer is a deadline like the others: a warning and an overdue job, the
-- flags of the effects applied, cleared when the answer comes or the office goes on without it.
ALTER TABLE cases
  ADD COLUMN third_party_by         timestamptz,
  ADD COLUMN third_party_warn_at    timestamptz,
  ADD COLUMN third_party_warned_at  timestamptz,
  ADD COLUMN third_party_overdue_at timestamptz;
