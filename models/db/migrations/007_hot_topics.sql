-- Supervision: hot topics (舆情), repeated complaints about one place, likely duplicates.
-- Everything here is derived from cases after intake by the term indexer
-- (models/hot-topics/term-index.ts); intake itself only queues the case (the trigger below).

-- The dictionary of counted terms: jieba words and case categories, with a small id so that the
-- large tables below hold integers.
CREATE TABLE topic_terms (
  id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('word', 'category')),
  term text NOT NULL,
  UNIQUE (kind, term)
);

-- One row per indexed case: place, caller and term set, which the repeat grouping and the
-- duplicate check compare. The tables derived from cases carry no foreign keys to them: a key
-- check would share-lock the case row and make an action on a just-registered case wait for the
-- indexer's batch (cases are never deleted).
CREATE TABLE case_signatures (
  case_id       uuid PRIMARY KEY,
  received_at   timestamptz NOT NULL,
  division_code text,
  category      text,
  -- 'phone:<digits>' or '<channel>:<account>'; null when the caller left nothing to recognise.
  caller        text,
  -- Most specific first (by jieba's IDF).
  terms         text[] NOT NULL,
  indexed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_signatures_received_idx ON case_signatures (received_at);
CREATE INDEX case_signatures_division_idx ON case_signatures (division_code text_pattern_ops, received_at);
CREATE INDEX case_signatures_caller_idx ON case_signatures (caller, received_at) WHERE caller IS NOT NULL;

-- Which case mentions which term, with the two columns every hot-topic query filters on copied in
-- so that the queries are index-only scans. About a dozen rows per case, so no primary key: the
-- indexer writes a case's rows once, with its signature, and the watch-list backfill skips cases
-- whose signature already holds the term.
CREATE TABLE case_terms (
  case_id       uuid NOT NULL,
  term_id       integer NOT NULL,
  received_at   timestamptz NOT NULL,
  division_code text
);
-- The case id is included so that a term's newest cases are read from the index alone.
CREATE INDEX case_terms_term_idx ON case_terms (term_id, received_at) INCLUDE (division_code, case_id);
CREATE INDEX case_terms_received_idx ON case_terms (received_at) INCLUDE (term_id);
CREATE INDEX case_terms_division_idx ON case_terms (division_code text_pattern_ops, received_at) INCLUDE (term_id);

-- Rollups kept by the indexer in the same transaction (Asia/Shanghai days and months): city-wide
-- counts over long periods read whole months and days from these instead of millions of
-- case_terms rows, and a term's divisions over months come from term_division_months. The keys
-- include the count so that the sums are index-only scans.
CREATE TABLE term_days (
  day     date NOT NULL,
  term_id integer NOT NULL,
  cases   integer NOT NULL,
  PRIMARY KEY (day, term_id) INCLUDE (cases)
);
CREATE TABLE term_months (
  month   date NOT NULL,
  term_id integer NOT NULL,
  cases   integer NOT NULL,
  PRIMARY KEY (month, term_id) INCLUDE (cases)
);
CREATE TABLE term_division_months (
  term_id       integer NOT NULL,
  month         date NOT NULL,
  division_code text NOT NULL,
  cases         integer NOT NULL,
  PRIMARY KEY (term_id, month, division_code) INCLUDE (cases)
);
-- Indexed cases per day and division ('' when none is known): the totals of a period.
CREATE TABLE case_days (
  day           date NOT NULL,
  division_code text NOT NULL,
  cases         integer NOT NULL,
  PRIMARY KEY (day, division_code)
);

-- Cases waiting for the indexer. Filled by a statement trigger, so every way a case is inserted
-- (intake, channels, imports and simulations that set created_at in the past) is seen, without
-- touching intake's code or updating case rows afterwards. Intake pays one small insert.
CREATE TABLE term_index_queue (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id uuid NOT NULL
);
CREATE FUNCTION queue_cases_for_term_index() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO term_index_queue (case_id) SELECT id FROM inserted_cases;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_term_index AFTER INSERT ON cases
  REFERENCING NEW TABLE AS inserted_cases FOR EACH STATEMENT EXECUTE FUNCTION queue_cases_for_term_index();
-- The cases already there when this migration runs are indexed too, oldest first.
INSERT INTO term_index_queue (case_id) SELECT id FROM cases ORDER BY created_at, id;

-- Likely duplicates: same caller, near-identical text, received within 7 days. `case_id` is the
-- later one; merging them is the `merge` action's business.
CREATE TABLE case_duplicates (
  case_id      uuid NOT NULL,
  duplicate_of uuid NOT NULL,
  received_at  timestamptz NOT NULL,
  similarity   double precision NOT NULL,
  detected_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, duplicate_of),
  CHECK (case_id <> duplicate_of)
);
CREATE INDEX case_duplicates_of_idx ON case_duplicates (duplicate_of);
CREATE INDEX case_duplicates_received_idx ON case_duplicates (received_at);

-- The early-warning thresholds (one row) and the watch list (admin, through the API).
CREATE TABLE hot_topic_settings (
  singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  growth_threshold double precision NOT NULL DEFAULT 3,
  min_count        integer NOT NULL DEFAULT 10,
  window_hours     integer NOT NULL DEFAULT 24,
  -- false: only watch-list terms raise warnings.
  all_terms        boolean NOT NULL DEFAULT true,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       uuid REFERENCES users (id)
);
INSERT INTO hot_topic_settings DEFAULT VALUES;

CREATE TABLE hot_topic_watch_terms (
  term             text PRIMARY KEY,
  growth_threshold double precision,
  min_count        integer,
  -- Set once the indexer has found the term in the cases indexed before it was added; until then
  -- its previous period would read as zero, so it raises no warning.
  backfilled_at    timestamptz,
  added_at         timestamptz NOT NULL DEFAULT now(),
  added_by         uuid REFERENCES users (id)
);

-- Warnings sent to the centre: one per term per window.
CREATE TABLE hot_topic_alerts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  term_id     integer NOT NULL REFERENCES topic_terms (id),
  window_from timestamptz NOT NULL,
  window_to   timestamptz NOT NULL,
  current     integer NOT NULL,
  previous    integer NOT NULL,
  growth      double precision NOT NULL,
  outbox_id   bigint NOT NULL REFERENCES outbox (id),
  alerted_at  timestamptz NOT NULL
);
CREATE INDEX hot_topic_alerts_term_idx ON hot_topic_alerts (term_id, alerted_at);
