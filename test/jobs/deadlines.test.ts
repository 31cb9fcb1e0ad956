import { expect } from 'chai';
import { startDatabaseClock } from '../../infra/db-clock.js';
import { createDeadlineQueue, deadlineJobId, DEADLINE_JOBS, scheduleDeadlineJobs, type DeadlineQueue } from '../../jobs/deadline.queue.js';
import { applyDeadlineEffect, NEXT_EFFECT_AT, OPEN, pendingDeadlineJobs, sweepDueDeadlines, type DeadlineJobRef } from '../../models/time-limits/deadline-effects.js';
import { countByEffect, deadlineEvents, eventually, insertDeadlineCase } from '../support/deadline-cases.js';
import { harness } from '../support/harness.js';

const TANYI = '371325105';
const FEI_COUNTY = '371325';

// The cases below are arranged with SQL (deadlines seconds away, an outbox row as the API leaves
// it); the harness's in-process worker relays, schedules and fires them as in production.
describe('deadlines: warnings, overdue and escalation fired by the deadline worker', function () {
  this.timeout(30_000);
  let queue: DeadlineQueue;

  before(() => {
    queue = createDeadlineQueue(harness().redisUrl);
  });
  after(async () => {
    await queue.close();
  });

  const ref = (caseId: string, kind: DeadlineJobRef['kind'], effect: DeadlineJobRef['effect'], version = 1): DeadlineJobRef => ({ caseId, kind, effect, version });

  async function finishedJob(r: DeadlineJobRef): Promise<{ state: string; returnvalue: unknown }> {
    return eventually(async () => {
      // The state first, then the job: a job read before it finished carries no return value yet.
      const state = await queue.getJobState(deadlineJobId(r));
      if (state !== 'completed' && state !== 'failed') return undefined;
      const job = await queue.getJob(deadlineJobId(r));
      return { state, returnvalue: job?.returnvalue };
    }, 10_000, `job ${deadlineJobId(r)} to finish`);
  }

  // Scheduled here as the relay would, so that the change under test lands before they fire, however busy the machine.
  async function scheduleNow(caseId: string): Promise<void> {
    const clock = await startDatabaseClock(harness().pool);
    clock.stop();
    expect(await scheduleDeadlineJobs(queue, await pendingDeadlineJobs(harness().pool, [caseId]), clock)).to.be.greaterThan(0);
  }

  async function scheduled(r: DeadlineJobRef): Promise<void> {
    await eventually(async () => ((await queue.getJob(deadlineJobId(r))) ? true : undefined), 5_000, `job ${deadlineJobId(r)} to be scheduled`);
  }

  it('when a reply deadline is seconds away, then the warning fires, then the overdue, which supervises and escalates the case to the county', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { unitCode: TANYI, replyWarnIn: 1, replyByIn: 2 });
    const events = await eventually(async () => {
      const found = await deadlineEvents(pool, [caseId]);
      return found.length === 3 ? found : undefined;
    }, 10_000, 'warning, overdue and escalation');
    expect(events.map((e) => e.action)).to.deep.equal(['deadline_warning', 'deadline_overdue', 'escalate']);
    const { rows } = await pool.query(`SELECT * FROM cases WHERE id = $1`, [caseId]);
    const c = rows[0];
    const [warning, overdue, escalate] = events;
    expect(warning?.created_at.getTime()).to.be.at.least(c.reply_warn_at.getTime());
    expect(overdue?.created_at.getTime()).to.be.at.least(c.reply_by.getTime());
    for (const e of events) expect(e).to.include({ actor_role: 'system', actor_id: null, from_status: 'in_progress', to_status: 'in_progress', unit_code: TANYI, public: false });
    expect(overdue?.data).to.deep.equal({ kind: 'reply', due: c.reply_by.toISOString() });
    expect(escalate?.data).to.deep.equal({ toUnit: FEI_COUNTY, kind: 'reply' });
    expect(c).to.include({ supervised: true, escalated_to: FEI_COUNTY });
    expect(c.reply_warned_at).to.be.instanceOf(Date);
    expect(c.reply_overdue_at).to.be.instanceOf(Date);
    const outbox = await pool.query(`SELECT topic, payload FROM outbox WHERE case_id = $1 AND event_id IS NOT NULL ORDER BY id`, [caseId]);
    expect(outbox.rows.map((r) => r.topic)).to.deep.equal(['case.deadline-warning', 'case.overdue', 'case.escalated']);
    expect(outbox.rows[2].payload).to.include({ caseId, toUnit: FEI_COUNTY });
  });

  it('when both the acceptance and the reply deadline go overdue, then each fires once and the case is escalated once', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { status: 'dispatched', unitCode: TANYI, acceptWarnIn: 0.5, acceptByIn: 1, replyWarnIn: 1, replyByIn: 1.5 });
    await eventually(async () => ((await deadlineEvents(pool, [caseId])).filter((e) => e.action === 'deadline_overdue').length === 2 ? true : undefined), 10_000, 'both overdues');
    await finishedJob(ref(caseId, 'reply', 'overdue'));
    await finishedJob(ref(caseId, 'accept', 'overdue'));
    const events = await deadlineEvents(pool, [caseId]);
    expect([...countByEffect(events).values()].every((n) => n === 1)).to.equal(true);
    expect(events.filter((e) => e.action === 'escalate')).to.have.length(1);
    expect(events.filter((e) => e.action === 'deadline_warning').map((e) => e.kind).sort()).to.deep.equal(['accept', 'reply']);
  });

  it('when a county-level unit or no unit holds an overdue case, then it goes to the city centre; the centre itself escalates to no one', async () => {
    const { pool } = harness();
    const county = await insertDeadlineCase(pool, { unitCode: FEI_COUNTY, replyByIn: -1, outbox: 'none' });
    const unassigned = await insertDeadlineCase(pool, { status: 'registered', unitCode: null, replyByIn: -1, outbox: 'none' });
    const centre = await insertDeadlineCase(pool, { unitCode: '3713-hotline', replyByIn: -1, outbox: 'none' });
    for (const id of [county, unassigned, centre]) await applyDeadlineEffect(pool, ref(id, 'reply', 'overdue'));
    const { rows } = await pool.query(`SELECT id, escalated_to, supervised FROM cases WHERE id = ANY($1::uuid[])`, [[county, unassigned, centre]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(county)).to.include({ escalated_to: '3713-hotline', supervised: true });
    expect(byId.get(unassigned)).to.include({ escalated_to: '3713-hotline', supervised: true });
    expect(byId.get(centre)).to.include({ escalated_to: null, supervised: true });
    expect((await deadlineEvents(pool, [centre])).map((e) => e.action)).to.deep.equal(['deadline_overdue']);
  });

  it('when the deadline moves (a new version) before its jobs fire, then the old jobs do nothing', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { replyWarnIn: 1.5, replyByIn: 2.5, outbox: 'none' });
    await scheduleNow(caseId);
    // No outbox row on purpose: the old jobs stay in the queue, and their own version check must stop them.
    await pool.query(
      `UPDATE cases SET deadline_version = deadline_version + 1, reply_warn_at = now() + interval '1 day', reply_by = now() + interval '2 days' WHERE id = $1`,
      [caseId],
    );
    expect(await finishedJob(ref(caseId, 'reply', 'warning'))).to.deep.equal({ state: 'completed', returnvalue: 'stale' });
    expect(await finishedJob(ref(caseId, 'reply', 'overdue'))).to.deep.equal({ state: 'completed', returnvalue: 'stale' });
    expect(await deadlineEvents(pool, [caseId])).to.deep.equal([]);
  });

  it('when the deadline moves with its outbox row, then the relay replaces the old jobs with jobs of the new version', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { replyWarnIn: 60, replyByIn: 120 });
    await scheduled(ref(caseId, 'reply', 'overdue'));
    // The row an approved extension leaves, with a due time of the test's choosing: the relay's
    // rescheduling is under test here, not the extension arithmetic (tested with the actions).
    await pool.query(
      `WITH c AS (UPDATE cases SET deadline_version = 2, reply_by = now() + interval '1 day', reply_warn_at = now() + interval '20 hours' WHERE id = $1 RETURNING id)
       INSERT INTO outbox (case_id, topic, payload) SELECT id, 'case.approve_extension', jsonb_build_object('caseId', id) FROM c`,
      [caseId],
    );
    await scheduled(ref(caseId, 'reply', 'overdue', 2));
    await eventually(async () => ((await queue.getJob(deadlineJobId(ref(caseId, 'reply', 'overdue')))) ? undefined : true), 5_000, 'the old job to be removed');
    expect(await queue.getJob(deadlineJobId(ref(caseId, 'reply', 'warning')))).to.equal(undefined);
    expect(await (await queue.getJob(deadlineJobId(ref(caseId, 'reply', 'warning', 2))))?.getState()).to.equal('delayed');
  });

  it('when the case is replied before its deadline, then every pending job does nothing', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { status: 'dispatched', acceptWarnIn: 1, acceptByIn: 1.5, replyWarnIn: 1.5, replyByIn: 2, outbox: 'none' });
    await scheduleNow(caseId);
    // Not the reply action: its outbox row would have the relay remove these jobs, and what is
    // under test is each job's own check of the case, for a job that outlived its removal.
    await pool.query(`UPDATE cases SET status = 'replied' WHERE id = $1`, [caseId]);
    for (const r of [ref(caseId, 'accept', 'warning'), ref(caseId, 'accept', 'overdue'), ref(caseId, 'reply', 'warning'), ref(caseId, 'reply', 'overdue')]) {
      expect(await finishedJob(r)).to.deep.equal({ state: 'completed', returnvalue: 'not_applicable' });
    }
    expect(await deadlineEvents(pool, [caseId])).to.deep.equal([]);
  });

  it('when the reply clock is paused (补正), then the reply deadline does not fire', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { replyByIn: -1, outbox: 'none' });
    // A reply deadline already past, paused: no action pauses an overdue clock, but a job or sweep
    // may meet one that was paused just before it fell due.
    await pool.query(`UPDATE cases SET clock_paused_at = now() WHERE id = $1`, [caseId]);
    expect(await applyDeadlineEffect(pool, ref(caseId, 'reply', 'overdue'))).to.equal('not_applicable');
    expect(await deadlineEvents(pool, [caseId])).to.deep.equal([]);
  });

  it('when a job fires before its time by the database clock, then it waits in the delayed set and applies at the due time', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { replyByIn: 1.5, outbox: 'none' });
    const r = ref(caseId, 'reply', 'overdue');
    // A job added with no delay plays a worker whose clock runs ahead of the database's.
    await queue.add(DEADLINE_JOBS.effect, r, { jobId: deadlineJobId(r) });
    expect(await finishedJob(r)).to.deep.equal({ state: 'completed', returnvalue: 'applied' });
    const [overdue] = await deadlineEvents(pool, [caseId]);
    const { rows } = await pool.query(`SELECT reply_by FROM cases WHERE id = $1`, [caseId]);
    expect(overdue?.created_at.getTime()).to.be.at.least(rows[0].reply_by.getTime());
  });

  it('when an effect is due but no job was ever scheduled, then the sweep applies it once', async () => {
    const { pool } = harness();
    // Relayed already (synced) yet never scheduled: what a lost job looks like from the database.
    const caseId = await insertDeadlineCase(pool, { replyWarnIn: -2, replyByIn: -1, outbox: 'synced' });
    expect(await queue.getJob(deadlineJobId(ref(caseId, 'reply', 'overdue')))).to.equal(undefined);
    expect(await sweepDueDeadlines(pool, 500)).to.be.at.least(2);
    const events = await deadlineEvents(pool, [caseId]);
    expect(events.map((e) => e.action)).to.deep.equal(['deadline_warning', 'deadline_overdue', 'escalate']);
    await sweepDueDeadlines(pool, 500);
    expect(await deadlineEvents(pool, [caseId])).to.have.length(3);
  });

  it('when the sweep looks for due effects, then the index of each open case’s next running effect can answer it', async () => {
    const client = await harness().pool.connect();
    try {
      await client.query('BEGIN');
      // The test database is small enough for any plan to win; the question is whether the index
      // holds the sweep's expression (the same, argument for argument), which ordering by it shows.
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT c.id FROM cases c WHERE ${OPEN} AND ${NEXT_EFFECT_AT} <= now() ORDER BY ${NEXT_EFFECT_AT} LIMIT 1`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).to.match(/Index Scan using cases_next_effect_idx/);
      expect(plan).to.match(/Index Cond: \(LEAST\(/);
      expect(plan).to.not.match(/Sort/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('when the same effect is applied twice at once, then it applies once', async () => {
    const { pool } = harness();
    const caseId = await insertDeadlineCase(pool, { replyByIn: -1, outbox: 'none' });
    const r = ref(caseId, 'reply', 'overdue');
    const outcomes = await Promise.all([applyDeadlineEffect(pool, r), applyDeadlineEffect(pool, r), applyDeadlineEffect(pool, r)]);
    expect(outcomes.filter((o) => o === 'applied')).to.have.length(1);
    expect(outcomes.filter((o) => o === 'already_applied')).to.have.length(2);
    expect((await deadlineEvents(pool, [caseId])).map((e) => e.action)).to.deep.equal(['deadline_overdue', 'escalate']);
  });
});
