import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { CaseType, Channel, Urgency } from '../../models/cases/case.js';
import { CASE_TYPES, CHANNELS } from '../../models/cases/case.js';
import { CITY_CODE, DEPARTMENTS } from '../../models/org/seed/departments.js';
import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileShippedCatalogue } from '../../routing-rules/catalogue-files.js';
import { compileRules, decide } from '../../routing-rules/engine.js';
import { loadLinyiGazetteer, type Gazetteer } from '../../routing-rules/gazetteer.js';

interface TableRow {
  readonly id: string;
  readonly channel: Channel;
  readonly type: CaseType;
  readonly urgency?: Urgency;
  readonly title?: string;
  readonly address?: string;
  readonly divisionCode?: string;
  readonly content: string;
  readonly expectUnit: string | null;
  readonly why: string;
}

const table = JSON.parse(readFileSync(new URL('../routing-table.json', import.meta.url), 'utf8')) as { cases: TableRow[] };

/** The units the org tree holds: divisions, city departments, and county departments where they exist. */
function knownUnits(gazetteer: Gazetteer): Set<string> {
  const codes = new Set<string>([CITY_CODE]);
  for (const dept of DEPARTMENTS) codes.add(`${CITY_CODE}-${dept.slug}`);
  for (const county of gazetteer.counties) {
    codes.add(county.code);
    for (const dept of DEPARTMENTS.filter((d) => d.county)) codes.add(`${county.code}-${dept.slug}`);
  }
  for (const township of gazetteer.townships) codes.add(township.code);
  return codes;
}

describe('routing table of the default rules and the catalogue (test/routing-table.json)', () => {
  const gazetteer = loadLinyiGazetteer();
  const resolver = createAddressResolver(gazetteer);
  const compiled = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue() });
  const units = knownUnits(gazetteer);

  function route(row: TableRow): string | null {
    const place = row.divisionCode
      ? { divisionCode: row.divisionCode, countyCode: null, townshipCode: null }
      : resolver.resolveDivision(row.address ?? `${row.title ?? ''} ${row.content}`);
    const decision = decide(
      compiled,
      {
        type: row.type,
        channel: row.channel,
        urgency: row.urgency ?? 'normal',
        title: row.title ?? null,
        content: row.content,
        divisionCode: place.divisionCode,
        countyCode: place.countyCode,
        townshipCode: place.townshipCode,
      },
      (code) => units.has(code),
    );
    return decision.matched?.unitCode ?? null;
  }

  it('when the table is read, then it covers at least 60 cases, every county, both channel families and all types', () => {
    const rows = table.cases;
    expect(rows.length).to.be.at.least(60);
    const counties = new Set(rows.map((row) => resolver.resolveDivision(row.address ?? row.content).countyCode));
    for (const county of gazetteer.counties) expect(counties, county.name).to.include(county.code);
    expect(new Set(rows.map((row) => row.type))).to.have.keys([...CASE_TYPES]);
    const channels = new Set(rows.map((row) => row.channel));
    for (const channel of ['hotline', 'letter', 'in_person', 'mailbox', 'microblog', 'wechat']) expect(channels).to.include(channel);
    for (const row of rows) expect(CHANNELS, row.id).to.include(row.channel);
  });

  for (const row of table.cases) {
    const where = row.expectUnit ?? 'the manual queue';
    it(`when ${row.id} (${row.channel} ${row.type}) "${row.content.slice(0, 16)}…" comes in, then it reaches ${where}`, () => {
      expect(route(row), row.why).to.equal(row.expectUnit);
    });
  }
});
