-- The operator's desk looks up the caller's earlier cases by phone number as it is typed, and
-- lists the operator's own cases of the day. Numbers are compared by their digits only, as
-- callers' numbers are entered with or without spaces and dashes.
CREATE INDEX cases_caller_phone_idx ON cases ((regexp_replace(citizen->>'phone', '\D', '', 'g')), received_at DESC)
  WHERE citizen ? 'phone';
CREATE INDEX cases_created_by_idx ON cases (created_by, created_at DESC) WHERE created_by IS NOT NULL;
