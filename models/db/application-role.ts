import pg from 'pg';
import type { Queryable } from '../../infra/db.js';

/** Tables whose rows are history: the application adds rows and reads them, nothing more. */
export const APPEND_ONLY_TABLES = ['case_events', 'routing_rule_revisions', 'audit_log', 'ranking_weight_sets', 'knowledge_article_versions'] as const;

/** The statistics rebuild empties these and analyses them afresh. */
const REBUILT_TABLES = ['stat_unit_days', 'stat_repeat_arrivals', 'stat_repeat_days', 'stat_red_cards', 'stat_case_mix_days', 'stat_first_undone_days'] as const;

/**
 * Gives the application's role what it needs on the tables as they are after the migrations, and no
 * more: it owns nothing, so it can neither alter nor drop a table or the append-only triggers, and it
 * may not update, delete or truncate history. Run by the owner after every migration run, so that new
 * tables are covered.
 */
export async function grantApplicationRole(owner: Queryable, role: string): Promise<void> {
  const grantee = pg.escapeIdentifier(role);
  await owner.query(`
    GRANT USAGE ON SCHEMA public TO ${grantee};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${grantee};
    REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${grantee};
    REVOKE UPDATE, DELETE ON ${APPEND_ONLY_TABLES.join(', ')} FROM ${grantee};
    GRANT TRUNCATE, MAINTAIN ON ${REBUILT_TABLES.join(', ')} TO ${grantee};
  `);
}

/** The role to grant to, when the application connects as another role than the owner. */
export function applicationRoleOf(urls: { readonly databaseUrl: string; readonly databaseOwnerUrl: string }): string | undefined {
  const role = (url: string): string => decodeURIComponent(new URL(url).username);
  const app = role(urls.databaseUrl);
  return app && app !== role(urls.databaseOwnerUrl) ? app : undefined;
}

/**
 * Whether the connected role could undo the append-only protection (a superuser, or a member of the
 * role owning the timeline): true when an external setup gives the application the owner's URL.
 */
export async function canAlterHistory(pool: Queryable): Promise<boolean> {
  const { rows } = await pool.query<{ can: boolean }>(
    `SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE') AS can
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = 'case_events'::regclass`,
  );
  return rows[0]?.can ?? false;
}
