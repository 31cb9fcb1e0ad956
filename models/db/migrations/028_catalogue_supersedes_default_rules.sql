-- The dispatch catalogue (routing-rules/catalogue/) now routes what the first default rule
-- families did by one keyword each: the department rules (dept-*) and the street-level rule.
-- Those rules, first-match by priority, let an incidental word win (学校门口的井盖 -> 教育局).
-- Disable the seeded copies an admin never edited (version 1, no editor), with a revision each,
-- so the rule set's version moves and every process reloads; edited rules are the centre's own
-- and stay as they are.
WITH untouched AS (
  UPDATE routing_rules
     SET enabled = false, version = version + 1, updated_at = now()
   WHERE (id LIKE 'dept-%' OR id = 'township-street-level')
     AND version = 1 AND updated_by IS NULL AND enabled
  RETURNING id, name, priority, conditions, target, version
)
INSERT INTO routing_rule_revisions (rule_id, version, change, before, after, actor_id)
SELECT id, version, 'update',
       jsonb_build_object('id', id, 'name', name, 'priority', priority, 'enabled', true, 'conditions', conditions, 'target', target),
       jsonb_build_object('id', id, 'name', name, 'priority', priority, 'enabled', false, 'conditions', conditions, 'target', target),
       NULL
  FROM untouched
 ORDER BY id;
