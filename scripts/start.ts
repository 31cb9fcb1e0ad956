import { startBackingServices } from '../infra/backing-services.js';
import { createPool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { runProcess } from '../infra/process-lifecycle.js';
import { prepareDatabase } from '../models/db/bootstrap.js';
import { applicationRoleOf, canAlterHistory } from '../models/db/application-role.js';
import { start as startServer } from '../server.js';
import { start as startWorker } from '../worker.js';
import { consoleBuildIsStale, ensureConsoleBuilt } from './console-build.js';

/** `npm start`: the whole system in one process, on embedded services unless URLs are given. */
runProcess(async ({ config, log, onStop }) => {
  const services = await startBackingServices(config, log);
  onStop(services.stop);
  const ownerPool = createPool(services.databaseOwnerUrl, 2);
  const report = await prepareDatabase(ownerPool, config.adminPassword, applicationRoleOf(services)).finally(() => ownerPool.end());
  const appPool = createPool(services.databaseUrl, 1);
  const historyUnprotected = await canAlterHistory(appPool).finally(() => appPool.end());
  if (historyUnprotected) log.warn('the application connects as the schema owner or a superuser: set DATABASE_URL to a role of its own and DATABASE_OWNER_URL to the owner (docs/security.md)');
  // The deadline worker runs in-process too (`npm run worker` adds more; they share the work). It
  // starts first, so that an API answering /readyz means the whole system is up.
  const worker = await startWorker({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, log, outboxRetentionHours: config.outboxRetentionHours, outboundAllowHosts: config.outboundAllowHosts });
  onStop(worker.stop);
  const server = await startServer({
    ...services,
    port: config.port,
    host: config.host,
    log,
    staffRateLimit: config.staffRateLimit,
    metricsToken: config.metricsToken,
    trustProxy: config.trustProxy,
    outboundAllowHosts: config.outboundAllowHosts,
    mailbox: config.mailbox,
    routingModelThreshold: config.routingModelThreshold,
  });
  onStop(server.stop);
  buildConsoleInBackground(log);
  log.info({ url: server.url, migrationsApplied: report.migrationsApplied, unitsSeeded: report.unitsSeeded }, 'Hotline Hub is up');
  const lines = [
    '',
    `  Hotline Hub is running at ${server.url}`,
    `  Staff console: ${server.url}/console/${consoleBuildIsStale() ? ' (being built, ready in about half a minute)' : ''}`,
    `  Citizen page: ${server.url}/   API: ${server.url}/api   OpenAPI: ${server.url}/api/openapi.json`,
    report.generatedAdminPassword
      ? `  Log in as admin with password ${report.generatedAdminPassword} (shown once; set ADMIN_PASSWORD to choose it)`
      : '  Log in as admin with your ADMIN_PASSWORD (POST /api/auth/login)',
    `  Data: ${services.embedded.postgres || services.embedded.redis ? config.dataDir : 'external servers'}   Stop: Ctrl-C (twice to stop at once)`,
    ...(historyUnprotected
      ? ['  Warning: DATABASE_URL is the schema owner\'s, so the application could alter the timeline\'s protection; see docs/security.md']
      : []),
    ...(services.postgresCluster?.runAs
      ? [`  PostgreSQL cluster: ${services.postgresCluster.dir} (run as the system user '${services.postgresCluster.runAs}': PostgreSQL refuses root)`]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

/**
 * A fresh clone (or changed console sources) gets its console built while the API already serves;
 * /console/ says 控制台正在构建 until the build lands. A failed build leaves the API up.
 */
function buildConsoleInBackground(log: Logger): void {
  if (!consoleBuildIsStale()) return;
  log.info('building the staff console (web/console) in the background');
  ensureConsoleBuilt().then(
    ({ ms }) => log.info({ ms }, 'staff console built: /console/'),
    (error: unknown) => log.error({ err: error }, 'staff console build failed; the API keeps serving'),
  );
}
