-- Read paths at millions of cases: the deadline sweep, the unit queue, lookup by caller and keyword search.

-- The sweep and the start-up reconciliation look only at open cases, a small share of the table.
-- The list is OPEN_DEADLINE_STATUSES (models/deadline-rules.ts): the planner uses this index only for
-- queries whose status condition it can prove implies the predicate.
CREATE INDEX cases_open_deadlines_idx ON cases (id)
  WHERE status IN ('registered', 'dispatched', 'in_progress', 'returned');

-- A unit's queue filtered by status, newest first (the keyset order of the list).
CREATE INDEX cases_unit_status_created_idx ON cases (assigned_unit_code, status, created_at DESC, id DESC);

-- The caller's earlier cases: one key for '138-1234-5678', '+86 13812345678' and '13812345678'.
CREATE FUNCTION caller_phone_key(phone text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN nullif(right(regexp_replace(phone, '\D', '', 'g'), 11), '');
CREATE INDEX cases_caller_phone_idx ON cases (caller_phone_key(citizen->>'phone'), created_at DESC, id DESC)
  WHERE citizen ? 'phone';

-- Keyword search. Chinese has no spaces and most keywords are two characters (路灯, 噪音, 欠薪), which
-- pg_trgm cannot index; the set of character bigrams can, and ILIKE then checks each candidate.
CREATE FUNCTION text_bigrams(body text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN ARRAY(SELECT DISTINCT substr(lower(body), i, 2) FROM generate_series(1, char_length(body) - 1) AS i);
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX cases_text_bigrams_idx ON cases USING gin (text_bigrams(coalesce(title, '') || ' ' || content));
