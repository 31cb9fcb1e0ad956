import crypto from 'node:crypto';
import { expect } from 'chai';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

/** A phone number no other test uses. */
function uniquePhone(): string {
  return `139${String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** Two Chinese characters no other test writes together, from a range no template uses. */
function uniqueWord(): string {
  const pick = (): string => String.fromCodePoint(0x4e00 + crypto.randomInt(0, 0x5000));
  return `${pick()}${pick()}`;
}

async function listIds(staff: Staff, query: string): Promise<string[]> {
  const res = await request('GET', `/api/cases?${query}`, { token: staff.token });
  if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
  return (res.body.items as { id: string }[]).map((c) => c.id);
}

describe('searching cases (GET /api/cases?q=&phone=)', () => {
  it('when the caller wrote the number as 139-xxxx-xxxx or +86 139…, then ?phone= finds the cases in any of those forms, newest first', async () => {
    const supervisor = await createStaff('supervisor');
    const phone = uniquePhone();
    const first = await buildCase({ citizen: { phone } });
    const second = await buildCase({ citizen: { phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` } });
    const other = await buildCase({ citizen: { phone: uniquePhone() } });

    const found = await listIds(supervisor, `phone=${encodeURIComponent(`${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`)}`);

    expect(found).to.deep.equal([second.id, first.id]);
    expect(found).not.to.include(other.id);
  });

  it('when a handler searches a phone number, then only the cases of its own unit come back', async () => {
    const phone = uniquePhone();
    const kase = await buildCase({ citizen: { phone } });
    const elsewhere = await createStaff('handler', '371302');

    expect(await listIds(elsewhere, `phone=${phone}`)).not.to.include(kase.id);
  });

  it('when the keyword is two Chinese characters, then the cases whose content holds them are found, and no others', async () => {
    const supervisor = await createStaff('supervisor');
    const word = uniqueWord();
    const hit = await buildCase({ content: `楼下${word}整夜施工，影响休息` });
    const split = await buildCase({ content: `${word[0]}楼下整夜施工${word[1]}` });

    const found = await listIds(supervisor, `q=${encodeURIComponent(word)}`);

    expect(found).to.deep.equal([hit.id]);
    expect(found).not.to.include(split.id);
  });

  it('when the keyword is in the title only, or is a case number, or a single character, then the case is found', async () => {
    const supervisor = await createStaff('supervisor');
    const word = uniqueWord();
    const titled = await buildCase({ title: `关于${word}的投诉`, content: '内容与标题无关的一段话' });

    expect(await listIds(supervisor, `q=${encodeURIComponent(word)}`)).to.deep.equal([titled.id]);
    expect(await listIds(supervisor, `q=${titled.caseNo}`)).to.deep.equal([titled.id]);
    expect(await listIds(supervisor, `q=${encodeURIComponent(word[0] ?? '')}&limit=200`)).to.include(titled.id);
  });

  it('when the keyword holds % or _, then they are matched literally', async () => {
    const supervisor = await createStaff('supervisor');
    const word = uniqueWord();
    const literal = await buildCase({ content: `水费上涨了100%${word}，不合理` });
    await buildCase({ content: `水费上涨了1000${word}` });

    expect(await listIds(supervisor, `q=${encodeURIComponent(`%${word}`)}`)).to.deep.equal([literal.id]);
  });

  it('when the phone filter is not a phone number, then 400 names the field', async () => {
    const supervisor = await createStaff('supervisor');
    const res = await request('GET', '/api/cases?phone=abc', { token: supervisor.token });
    expect(res.status).to.equal(400);
    expect(JSON.stringify(res.body.error.details)).to.contain('phone');
  });
});
