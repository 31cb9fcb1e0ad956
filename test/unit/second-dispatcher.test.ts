import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { evaluateSecondDispatcher } from '../../scripts/bench/routing-eval.bench.js';

describe("the bench's yardstick: a second dispatcher's labels judged by a set's", () => {
  let dir: string;
  const write = (name: string, lines: readonly string[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `# a comment\n${lines.join('\n')}\n`);
    return file;
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'second-dispatcher-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when their first choices are read, then a first choice the set accepts is acceptable, another unit misrouted, and keeping at the centre acceptable only where the set allows it', () => {
    const set = write('set.txt', ['township,dept:chengguan|路灯不亮', 'dept:gongan|被偷了', 'manual|借钱不还', 'dept:renshe|欠薪', 'dept:fangchan,manual|押金']);
    const labels = write('labels.txt', ['1|dept:chengguan,township', '2|dept:chengguan,dept:gongan', '3|manual', '4|manual,dept:renshe', '5|manual']);

    expect(evaluateSecondDispatcher(set, labels)).to.deep.equal({ file: labels, cases: 5, acceptable: 3, misrouted: 1, kept: 3 });
  });

  it('when their file lacks a request or numbers them out of order, then the bench stops and says which file', () => {
    const set = write('set.txt', ['township|路灯不亮', 'dept:gongan|被偷了']);
    expect(() => evaluateSecondDispatcher(set, write('short.txt', ['1|township']))).to.throw(/short\.txt: expected one line for each of the 2 requests/);
    expect(() => evaluateSecondDispatcher(set, write('swapped.txt', ['2|township', '1|township']))).to.throw(/swapped\.txt/);
  });

  it('when shipped, then the labels of sets J and V each hold one line for every request of their set', () => {
    for (const set of ['j', 'v']) {
      const result = evaluateSecondDispatcher(`routing-rules/catalogue/requests/set-${set}.txt`, `scripts/bench/routing-eval/second-dispatcher/set-${set}.txt`);
      expect(result.cases).to.equal(340);
    }
  });
});
