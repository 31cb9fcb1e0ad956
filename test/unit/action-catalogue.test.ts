import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ACTIONS } from '../../models/cases/case-workflow.js';
import { ACTION_NAMES, CATALOGUE, dataKeysOf, isActionName, type ActionName } from '../../models/cases/action-catalogue.js';
import { EVENT_METRICS, EVENT_UNIT } from '../../models/insights/stats/metrics.js';

// Where read models read event data: statistics, reports, hot topics, and the SQL migrations.
const READ_MODEL_SOURCES = ['models/stats', 'models/reports', 'models/hot-topics', 'models/migrations'];

function sourceTexts(): { file: string; text: string }[] {
  return READ_MODEL_SOURCES.flatMap((dir) =>
    fs.readdirSync(dir).filter((f) => /\.(ts|sql)$/.test(f)).map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), 'utf8') })),
  );
}

/** The top-level `data` keys an SQL text reads: `data->>'key'` and `data->'key'->...`. */
function dataKeysRead(sql: string): string[] {
  return [...sql.matchAll(/data\s*->>?\s*'([A-Za-z_]+)'/g)].map((m) => m[1] ?? '');
}

/** The actions an SQL condition names: `action = 'x'` and `action IN ('x', 'y')`. */
function actionsNamed(sql: string): string[] {
  const single = [...sql.matchAll(/action\s*=\s*'([a-z_]+)'/g)].map((m) => m[1] ?? '');
  const lists = [...sql.matchAll(/action\s+IN\s*\(([^)]*)\)/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((x) => x[1] ?? ''));
  return [...single, ...lists];
}

describe('action catalogue', () => {
  it('when a statistic reads event data, then every action it counts declares each key it reads', () => {
    const expressions = [...EVENT_METRICS.map((m) => m.when), EVENT_UNIT];
    let checked = 0;
    for (const sql of expressions) {
      const keys = dataKeysRead(sql);
      if (keys.length === 0) continue;
      const actions = actionsNamed(sql);
      expect(actions.length, sql).to.be.greaterThan(0);
      for (const action of actions) {
        expect(isActionName(action), `${action} in ${sql}`).to.equal(true);
        for (const key of keys) expect(dataKeysOf(action as ActionName), `${action}.data.${key} in ${sql}`).to.include(key);
        checked += 1;
      }
    }
    expect(checked).to.be.greaterThan(3);
  });

  it('when any read model or index reads a data key next to an action, then that action declares it; and every key read is declared by some action', () => {
    const declared = new Set(ACTION_NAMES.flatMap((a) => dataKeysOf(a)));
    const texts = sourceTexts();
    expect(texts.length).to.be.greaterThan(5);
    for (const { file, text } of texts) {
      for (const key of dataKeysRead(text)) expect([...declared], `${file} reads data.${key}`).to.include(key);
      // A statement line that names actions and reads keys: the keys belong to those actions.
      for (const line of text.split('\n')) {
        const keys = dataKeysRead(line);
        if (keys.length === 0) continue;
        for (const action of actionsNamed(line).filter(isActionName)) {
          for (const key of keys) expect(dataKeysOf(action), `${file}: ${action}.data.${key}`).to.include(key);
        }
      }
    }
  });

  it('when the API lists staff actions, then each is in the catalogue and some staff kind may take it', () => {
    for (const action of ACTIONS) {
      expect(CATALOGUE[action].by.some((kind) => !['citizen', 'system', 'channel'].includes(kind)), action).to.equal(true);
    }
  });

  it('when two actions share an outbox topic or a label, then that is a mistake', () => {
    const topics = ACTION_NAMES.map((a) => CATALOGUE[a].topic);
    const labels = ACTION_NAMES.map((a) => CATALOGUE[a].label);
    expect(new Set(topics).size).to.equal(topics.length);
    expect(new Set(labels).size).to.equal(labels.length);
  });
});
