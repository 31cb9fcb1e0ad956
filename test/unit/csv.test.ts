import { expect } from 'chai';
import { csvCell } from '../../api/http/csv.js';
import { unitStatsCsv } from '../../api/stats/unit-stats.presenter.js';

describe('CSV cells (api/http/csv.ts)', () => {
  it('when text opens with =, +, -, @, a tab or a carriage return, then a leading quote keeps it from being a formula', () => {
    const cells = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'].map(csvCell);

    expect(cells).to.deep.equal([`"'=HYPERLINK(""http://x"")"`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", `"'\rcmd"`]);
  });

  it('when a cell is a number, ordinary text or empty, then it is written as it is', () => {
    expect([csvCell(-3), csvCell(0.5), csvCell('兰山区'), csvCell('a,b'), csvCell(null)]).to.deep.equal(['-3', '0.5', '兰山区', '"a,b"', '']);
  });

  it("when a unit's name opens with a formula character, then the statistics export neutralises it too", () => {
    const item = { unitCode: '371302', name: '\t=cmd', level: 'child' } as unknown as Parameters<typeof unitStatsCsv>[0][number];

    expect(unitStatsCsv([item]).split('\r\n')[1]).to.match(/^371302,'\t=cmd,child,/);
  });
});
