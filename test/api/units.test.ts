import { expect } from 'chai';
import { createStaff } from '../support/factories.js';
import { request } from '../support/http.js';

interface UnitView {
  code: string;
  name: string;
  shortName: string;
  kind: string;
  parentCode: string | null;
}

interface UnitList {
  items: UnitView[];
  total: number;
}

const GB_COUNTIES = ['371302', '371311', '371312', '371321', '371322', '371323', '371324', '371325', '371326', '371327', '371328', '371329'];
const HIGH_TECH_ZONE = '371371';
const ZONES = ['3713-jingkai', '3713-lingang', '3713-mengshan', '3713-shangcheng', '3713-zongbao'];

describe('the organisation tree (GET /api/units)', () => {
  it('when listing kind=county, then the 12 counties/districts, 高新区 and the 5 zones come back (18), all under the city', async () => {
    const staff = await createStaff('operator');

    const res = await request<UnitList>('GET', '/api/units?kind=county&limit=500', { token: staff.token });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.total).to.equal(18);
    const codes = res.body.items.map((u) => u.code);
    expect(codes).to.have.members([...GB_COUNTIES, HIGH_TECH_ZONE, ...ZONES]);
    expect(res.body.items.every((u) => u.kind === 'county' && u.parentCode === '3713')).to.equal(true);
    const byCode = new Map(res.body.items.map((u) => [u.code, u]));
    expect(byCode.get('371325')?.name).to.equal('费县');
    expect(byCode.get('371302')?.name).to.equal('兰山区');
    expect(byCode.get('371371')?.shortName).to.equal('高新区');
    expect(byCode.get('3713-lingang')?.name).to.equal('临沂临港经济开发区');
  });

  it('when listing parent=371325, then 探沂镇 (371325105) and 费县信访局 (371325-petitions) are among its children', async () => {
    const staff = await createStaff('operator');

    const res = await request<UnitList>('GET', '/api/units?parent=371325&limit=500', { token: staff.token });

    expect(res.status, res.text).to.equal(200);
    const byCode = new Map(res.body.items.map((u) => [u.code, u]));
    expect(byCode.get('371325105')).to.deep.include({ name: '探沂镇', kind: 'township', parentCode: '371325' });
    expect(byCode.get('371325-petitions')).to.deep.include({ name: '费县信访局', kind: 'petitions_office', parentCode: '371325' });
    expect(res.body.items.every((u) => u.parentCode === '371325')).to.equal(true);
    expect(byCode.has('371302105'), 'a township of another county').to.equal(false);
  });

  for (const q of ['tyz', '探沂', 'tanyi']) {
    it(`when searching q=${q}, then 探沂镇 is found`, async () => {
      const staff = await createStaff('operator');

      const res = await request<UnitList>('GET', `/api/units?q=${encodeURIComponent(q)}`, { token: staff.token });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.items.map((u) => u.code)).to.include('371325105');
      expect(res.body.items.map((u) => u.code)).to.not.include('371302');
    });
  }

  it('when searching for something no unit is called, then the list is empty', async () => {
    const staff = await createStaff('operator');

    const res = await request<UnitList>('GET', `/api/units?q=${encodeURIComponent('不存在的单位名称')}`, { token: staff.token });

    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ items: [], total: 0 });
  });

  it('when reading 3713-petitions, then it is 市信访局, a petitions office under the city', async () => {
    const staff = await createStaff('handler', '371325');

    const res = await request<UnitView>('GET', '/api/units/3713-petitions', { token: staff.token });

    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.include({ code: '3713-petitions', name: '市信访局', kind: 'petitions_office', parentCode: '3713' });
  });

  it('when reading a code that names no unit, then 404 not_found', async () => {
    const staff = await createStaff('operator');

    const res = await request('GET', '/api/units/371399999', { token: staff.token });

    expect(res.status).to.equal(404);
    expect(res.body).to.have.nested.property('error.code', 'not_found');
  });

  it('when reading units without a token, then 401', async () => {
    const res = await request('GET', '/api/units?kind=county');

    expect(res.status).to.equal(401);
    expect(res.body).to.have.nested.property('error.code', 'unauthenticated');
  });

  it('when an unknown kind is asked for, then 400 names query.kind', async () => {
    const staff = await createStaff('operator');

    const res = await request('GET', '/api/units?kind=planet', { token: staff.token });

    expect(res.status).to.equal(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('query.kind');
  });

  it('when looking under every county, then each has its own hotline, petitions and disclosure office', async () => {
    const staff = await createStaff('supervisor');
    const counties = await request<UnitList>('GET', '/api/units?kind=county&limit=500', { token: staff.token });
    expect(counties.body.items).to.have.length(18);

    const missing: string[] = [];
    for (const county of counties.body.items) {
      const children = await request<UnitList>('GET', `/api/units?parent=${encodeURIComponent(county.code)}&limit=500`, { token: staff.token });
      const kinds = new Map(children.body.items.map((u) => [u.code, u.kind]));
      for (const [slug, kind] of [['hotline', 'hotline_centre'], ['petitions', 'petitions_office'], ['disclosure', 'disclosure_office']] as const) {
        if (kinds.get(`${county.code}-${slug}`) !== kind) missing.push(`${county.code}-${slug} (${kind})`);
      }
    }

    expect(missing).to.deep.equal([]);
  });
});
