import { expect } from 'chai';
import fc from 'fast-check';
import { BAND, layoutTreemap, type CountyCases } from '../../web/console/src/logic/treemap.js';

const W = 860;
const H = 300;

const county = (name: string, townships: [string, number][]): CountyCases => ({
  name,
  received: townships.reduce((s, [, n]) => s + n, 0),
  townships: townships.map(([townshipName, received], k) => ({ code: `${name}-${k}`, name: townshipName, received })),
});

describe('the treemap of counties and townships', () => {
  const city = [
    county('兰山区', [['金雀山街道', 600], ['柳青街道', 300], ['义堂镇', 3]]),
    county('沂南县', [['界湖街道', 400], ['岸堤镇', 100]]),
    county('费县', [['费城街道', 0]]),
  ];

  it('when laid out, then counties come largest first with their palette index, and a county or township without cases is left out', () => {
    const layout = layoutTreemap(city, W, H);
    expect(layout.counties.map((c) => [c.name, c.colour, c.received])).to.deep.equal([
      ['兰山区', 0, 903],
      ['沂南县', 1, 500],
    ]);
    expect(layout.counties[0]?.townships.map((t) => t.name)).to.deep.equal(['金雀山街道', '柳青街道', '义堂镇']);
  });

  it('when a label fits its tile, then it is drawn whole: the county with its count, a large township by name; a sliver of a township has none', () => {
    const [lanshan] = layoutTreemap(city, W, H).counties;
    expect(lanshan?.label).to.equal('兰山区 903');
    expect(lanshan?.townships.find((t) => t.name === '金雀山街道')?.label).to.equal('金雀山街道');
    expect(lanshan?.townships.find((t) => t.name === '义堂镇')?.label, '3 cases of 1,403').to.equal(null);
  });

  it('when a county is too narrow for its count, then its band shows the name alone, and nothing when even that does not fit', () => {
    const narrow = layoutTreemap([county('兰山区', [['金雀山街道', 10_000]]), county('沂水县', [['沂城街道', 600]]), county('临沭县', [['郑山街道', 30]])], W, H);
    const [, yishui, linshu] = narrow.counties;
    expect(yishui?.width, 'too narrow for 沂水县 600').to.be.below(60);
    expect(linshu?.height, 'too low for a line').to.be.below(15);
    expect(yishui?.label).to.equal('沂水县');
    expect(linshu?.label).to.equal(null);
  });

  it('when any city is laid out, then every township lies inside its county, below the band, inside the box, with an area in proportion to its cases', () => {
    const arbitraryCity = fc.array(
      fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }), townships: fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 12 }) }),
      { minLength: 1, maxLength: 18 },
    );
    fc.assert(
      fc.property(arbitraryCity, (counties) => {
        const input = counties.map((c, k) => county(`${c.name}${k}`, c.townships.map((n, j) => [`镇${j}`, n])));
        const layout = layoutTreemap(input, W, H);
        // Squarifying divides and multiplies: a hundredth of a pixel of rounding is allowed.
        const eps = 0.01;
        for (const c of layout.counties) {
          expect(c.x).to.be.at.least(-eps);
          expect(c.y).to.be.at.least(-eps);
          expect(c.x + c.width).to.be.at.most(W + eps);
          expect(c.y + c.height).to.be.at.most(H + eps);
          for (const t of c.townships) {
            expect(t.x).to.be.at.least(c.x - eps);
            expect(t.y).to.be.at.least(c.y + BAND - eps);
            expect(t.x + t.width).to.be.at.most(c.x + c.width + eps);
            expect(t.y + t.height).to.be.at.most(c.y + c.height + eps);
          }
          // Within a county, more cases never get a smaller tile.
          const byCases = [...c.townships].sort((a, b) => a.received - b.received);
          byCases.slice(1).forEach((t, k) => {
            const smaller = byCases[k];
            if (smaller && t.received > smaller.received) expect(t.width * t.height).to.be.at.least(smaller.width * smaller.height - 2 * (t.width + t.height));
          });
        }
      }),
    );
  });
});
