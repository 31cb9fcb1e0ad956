import { expect } from 'chai';
import fc from 'fast-check';
import { deIdentify, maskName, titleFrom, withoutContactDetails } from '../../models/privacy/de-identify.js';

const FULL_WIDTH_OFFSET = 0xff10 - 0x30;
const fullWidth = (s: string): string => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + FULL_WIDTH_OFFSET));
const digitsOnly = (s: string): string => s.replace(/[^\dX]/g, '');

// Filler without digits, so that every digit of the output came from the number under test.
const filler = fc.constantFrom('小区门口的路灯坏了', '联系我', '电话', '，', '。', '请尽快处理', ' ', '我的号码是', '谢谢');
const around = (number: fc.Arbitrary<string>): fc.Arbitrary<{ text: string; number: string }> =>
  fc.tuple(filler, number, filler).map(([a, n, b]) => ({ text: `${a}${n}${b}`, number: n }));

/** Groups the digits 3-4-4 (or any split) with one kind of separator, optionally full-width. */
const formatted = (digits: fc.Arbitrary<string>, groups: readonly number[]): fc.Arbitrary<string> =>
  fc.tuple(digits, fc.constantFrom('', ' ', '-', '.', '\u3000'), fc.boolean()).map(([d, sep, wide]) => {
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) {
      parts.push(d.slice(at, at + g));
      at += g;
    }
    if (at < d.length) parts.push(d.slice(at));
    const text = parts.filter(Boolean).join(sep);
    return wide ? fullWidth(text) : text;
  });

const digitString = (n: number): fc.Arbitrary<string> => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digitString(9)).map(([p, r]) => `${p}${r}`);
const birth = fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
const identity18 = fc.tuple(fc.constantFrom('371302', '371325', '110105', '440305'), birth, digitString(3), fc.constantFrom('0', '7', 'X')).map((p) => p.join(''));
const identity15 = fc.tuple(fc.constantFrom('371302', '371325', '110105'), birth.map((b) => b.slice(2)), digitString(3)).map((p) => p.join(''));
const bankCard = fc.tuple(fc.constantFrom('6222', '6228', '6217', '4367', '5187'), fc.integer({ min: 12, max: 15 }).chain(digitString)).map(([p, r]) => `${p}${r}`);

describe('de-identification (models/privacy/de-identify.ts)', function () {
  // Hundreds of generated texts each go through jieba's tagger.
  this.timeout(60_000);

  it('when mobile numbers are written plain, with +86, with spaces, hyphens, dots or full-width digits, then only the first three and last four digits remain', () => {
    const written = fc.oneof(
      formatted(mobile, [3, 4, 4]),
      formatted(mobile, [11]),
      mobile.map((m) => `+86${m}`),
      mobile.map((m) => `+86 ${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`),
      mobile.map((m) => fullWidth(`＋86${m}`)),
    );
    fc.assert(
      fc.property(around(written), ({ text, number }) => {
        const digits = digitsOnly(number.normalize('NFKC')).slice(-11);
        const out = deIdentify(text);
        expect(digitsOnly(out)).to.equal(`${digits.slice(0, 3)}${digits.slice(-4)}`);
        expect(out).to.include(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('when 18-digit, 15-digit or spaced identity numbers are written, then the birth date and sequence never show', () => {
    const written = fc.oneof(formatted(identity18, [18]), formatted(identity18, [6, 8, 4]), formatted(identity15, [15]), formatted(identity15, [6, 6, 3]));
    fc.assert(
      fc.property(around(written), ({ text, number }) => {
        const digits = digitsOnly(number.normalize('NFKC'));
        const out = deIdentify(text);
        expect(digitsOnly(out)).to.equal(`${digits.slice(0, 6)}${digits.slice(-4)}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('when bank card numbers of 16 to 19 digits are written grouped or not, then only the first and last four digits remain', () => {
    fc.assert(
      fc.property(around(fc.oneof(formatted(bankCard, [4, 4, 4, 4]), formatted(bankCard, [19]))), ({ text, number }) => {
        const digits = digitsOnly(number.normalize('NFKC'));
        const out = deIdentify(text);
        // An 18-digit card can read as an identity number too, and is then masked as one.
        expect(digitsOnly(out)).to.be.oneOf([`${digits.slice(0, 4)}${digits.slice(-4)}`, `${digits.slice(0, 6)}${digits.slice(-4)}`]);
      }),
      { numRuns: 1000 },
    );
  });

  it('when masked text is masked again, then nothing changes', () => {
    const any = fc.oneof(formatted(mobile, [3, 4, 4]), formatted(identity18, [18]), formatted(bankCard, [4, 4, 4, 4]));
    fc.assert(
      fc.property(around(any), ({ text }) => {
        const once = deIdentify(text);
        expect(deIdentify(once)).to.equal(once);
      }),
      { numRuns: 500 },
    );
  });

  it('when landlines, e-mail addresses and named QQ or WeChat ids are written, then each is masked', () => {
    const text = '座机(0539)8123456，另一部0539-8123456，全角（０５３９）８１２３４５６，邮箱 zhang.san@163.com，QQ号：12345678，微信号: wxid_abc123，ｖｘ：ｌｉｎｙｉ２０２６';
    const out = deIdentify(text);

    for (const secret of ['8123456', '812345', 'zhang.san', '163.com', '12345678', 'wxid_abc123', 'linyi2026']) expect(out, secret).to.not.include(secret);
    expect(out).to.include('0539-*****56').and.include('z***@***').and.include('QQ号:******'.replace(':', '：'));
  });

  it("when the text names the citizen and other people, then the citizen's own name and the names jieba tags nr are masked to the surname", () => {
    const out = deIdentify('我叫王建国，邻居赵卫东天天在楼道堆放杂物，物业的刘女士也不管，谢谢', { citizenName: '王建国' });

    expect(out).to.equal('我叫王**，邻居赵**天天在楼道堆放杂物，物业的刘**也不管，谢谢');
  });

  it('when the text names villages, townships and streets that open with a surname, then they are left as written', () => {
    const text = '经核实，费县探沂镇朱田村东路灯线路老化，兰山区金雀山街道、李官镇、马牧池乡已更换。';

    expect(deIdentify(text)).to.equal(text);
  });

  it('when the text holds a case number, a date, a sum or Chinese punctuation, then they are left as written', () => {
    const text = '工单202611290000123已于2026-11-29 13:45办结，退还1000元。';

    expect(deIdentify(text)).to.equal(text);
  });

  it('when a title is cut from text holding a phone number, then no part of the number survives the cut', () => {
    const title = titleFrom('路灯坏了请联系13912345678', 12);

    expect(title).to.equal('路灯坏了请联系139**');
    expect(title).to.not.match(/\d{5}/);
  });

  it('when the routing text is prepared, then contact details are blanked out entirely and other digits stay', () => {
    expect(withoutContactDetails('编号5678的路灯，电话139-1234-5678，邮件：renshe@linyi.gov.cn')).to.equal('编号5678的路灯，电话 ，邮件： ');
  });

  it('when a name is masked, then only the surname shows, compound surnames whole', () => {
    expect([maskName('张三'), maskName('欧阳娜娜'), maskName(' '), maskName(undefined)]).to.deep.equal(['张**', '欧阳**', null, null]);
  });
});
