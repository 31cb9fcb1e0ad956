-- The knowledge base (知识库): the articles as they stand now, and every version each one ever had.
-- Each write takes the next revision, so that every API process can tell from their sum whether
-- its search index is still current.
CREATE SEQUENCE knowledge_revision_seq;

CREATE TABLE knowledge_articles (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  version     integer NOT NULL DEFAULT 1,
  revision    bigint NOT NULL DEFAULT nextval('knowledge_revision_seq'),
  title       text NOT NULL,
  body        text NOT NULL,
  keywords    text[] NOT NULL DEFAULT '{}',
  unit_code   text NOT NULL REFERENCES units (code),
  valid_from  date NOT NULL,
  valid_to    date,
  -- Deleting archives: the article leaves search and lists, its history stays.
  archived_at timestamptz,
  -- The starter article this row was seeded from: a restart never adds it again.
  seed_key    text UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  uuid REFERENCES users (id),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid REFERENCES users (id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX knowledge_articles_unit ON knowledge_articles (unit_code);
-- Deleting an article archives it: the row and its versions are never removed.
CREATE TRIGGER knowledge_articles_no_delete BEFORE DELETE ON knowledge_articles
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER knowledge_articles_no_truncate BEFORE TRUNCATE ON knowledge_articles
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE knowledge_article_versions (
  article_id  uuid NOT NULL REFERENCES knowledge_articles (id),
  version     integer NOT NULL,
  change      text NOT NULL CHECK (change IN ('create', 'update', 'archive')),
  title       text NOT NULL,
  body        text NOT NULL,
  keywords    text[] NOT NULL,
  unit_code   text NOT NULL,
  valid_from  date NOT NULL,
  valid_to    date,
  changed_by  uuid REFERENCES users (id),
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version)
);
CREATE TRIGGER knowledge_article_versions_append_only BEFORE UPDATE OR DELETE ON knowledge_article_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER knowledge_article_versions_no_truncate BEFORE TRUNCATE ON knowledge_article_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- 当场答复 in the daily rollups: cases a unit registered, and those it answered at once.
ALTER TABLE stat_unit_days ADD COLUMN registered integer NOT NULL DEFAULT 0;
ALTER TABLE stat_unit_days ADD COLUMN answered_directly integer NOT NULL DEFAULT 0;
