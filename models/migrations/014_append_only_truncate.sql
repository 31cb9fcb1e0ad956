-- TRUNCATE fires no row trigger: the append-only tables refuse it with a statement trigger of their own.
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER routing_rule_revisions_no_truncate BEFORE TRUNCATE ON routing_rule_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ranking_weight_sets_no_truncate BEFORE TRUNCATE ON ranking_weight_sets
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
