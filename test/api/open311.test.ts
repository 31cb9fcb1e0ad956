import { expect } from 'chai';
import { findCaseByNumberAndCode } from '../../models/cases/case.repository.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';
import { adminToken, createOpen311Client, filingFields, parseXml, postForm } from '../support/open311.js';

describe('Open311 GeoReport v2 (/open311)', () => {
  let apiKey: string;

  before(async () => {
    ({ apiKey } = await createOpen311Client(await adminToken()));
  });

  describe('discovery and services', () => {
    it('when discovery is asked for in JSON and XML, then both name the v2 endpoint and its formats', async () => {
      const json = await request('GET', '/open311/discovery.json');
      const xml = await request('GET', '/open311/discovery.xml');

      expect(json.status).to.equal(200);
      expect(json.body.endpoints[0]).to.include({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production' });
      expect(json.body.endpoints[0].url).to.match(/\/open311\/v2$/);
      expect(xml.headers.get('content-type')).to.match(/^application\/xml/);
      const doc = parseXml(xml.text);
      expect(doc.discovery.endpoints.endpoint[0].url).to.equal(json.body.endpoints[0].url);
      expect(doc.discovery.endpoints.endpoint[0].formats.format).to.deep.equal(['application/json', 'text/xml']);
    });

    it('when services are listed for the city in JSON and XML, then both list the same services with the spec fields', async () => {
      const json = await request('GET', '/open311/v2/services.json?jurisdiction_id=3713');
      const xml = await request('GET', '/open311/v2/services.xml?jurisdiction_id=371325');

      expect(json.status).to.equal(200);
      const lamp = json.body.find((s: Record<string, unknown>) => s.service_code === 'complaint-municipal');
      expect(lamp).to.deep.include({ service_name: '市政设施损坏', metadata: true, type: 'realtime', group: '城市管理' });
      expect(lamp.keywords).to.include('路灯');
      const services = parseXml(xml.text).services.service as Record<string, string>[];
      expect(services.map((s) => s.service_code)).to.deep.equal(json.body.map((s: Record<string, unknown>) => s.service_code));
      expect(services.find((s) => s.service_code === 'complaint-municipal')).to.include({ metadata: 'true', type: 'realtime' });
    });

    it("when a service's definition is asked for, then it lists its attributes; an unknown service is a 404 in the Open311 error format", async () => {
      const json = await request('GET', '/open311/v2/services/complaint-municipal.json');
      const xml = await request('GET', '/open311/v2/services/complaint-municipal.xml');
      const missing = await request('GET', '/open311/v2/services/no-such-service.xml');

      expect(json.body).to.deep.include({ service_code: 'complaint-municipal' });
      expect(json.body.attributes[0]).to.include({ code: 'title', datatype: 'string', required: false, variable: true });
      expect(parseXml(xml.text).service_definition.attributes.attribute[0]).to.include({ code: 'title', datatype: 'string' });
      expect(missing.status).to.equal(404);
      expect(parseXml(missing.text).errors.error[0]).to.include({ code: '404' });
    });

    it('when the jurisdiction is not this city or one of its counties, then it is a 400 in the Open311 error format', async () => {
      const res = await request('GET', '/open311/v2/services.json?jurisdiction_id=1101');
      const noSuchCounty = await request('GET', '/open311/v2/services.xml?jurisdiction_id=371399');
      expect(noSuchCounty.status).to.equal(400);
      expect(parseXml(noSuchCounty.text).errors.error[0].description).to.include('371399');

      expect(res.status).to.equal(400);
      expect(res.body).to.be.an('array').with.length(1);
      expect(res.body[0].code).to.equal(400);
      expect(res.body[0].description).to.include('jurisdiction_id');
    });

    it('when a path under /open311 does not exist, then it is a 404 in the Open311 error format, in XML for .xml', async () => {
      const json = await request('GET', '/open311/v2/nothing.json');
      const xml = await request('GET', '/open311/v2/nothing.xml');

      expect(json.status).to.equal(404);
      expect(json.body).to.deep.equal([{ code: 404, description: 'No such Open311 resource: GET /v2/nothing.json' }]);
      expect(xml.status).to.equal(404);
      expect(parseXml(xml.text).errors.error[0].code).to.equal('404');
    });
  });

  describe('filing a request', () => {
    it('when a request is posted form-encoded, then it becomes a routed online case and the answer carries the case number and the query code', async () => {
      const res = await postForm('/open311/v2/requests.json', filingFields(apiKey, { account_id: 'acct-7' }));

      expect(res.status, res.text).to.equal(201);
      const [receipt] = res.body;
      expect(receipt.service_request_id).to.match(/^\d{15,20}$/);
      expect(receipt.account_id).to.equal('acct-7');
      expect(receipt.query_code).to.match(/^\d{6}$/);
      expect(receipt.service_notice).to.match(/^已受理，承办单位应于\d{4}-\d{2}-\d{2} \d{2}:\d{2}前答复$/);
      const stored = await findCaseByNumberAndCode(harness().pool, receipt.service_request_id, receipt.query_code);
      expect(stored).to.deep.include({ channel: 'online', type: 'complaint', category: '市政设施', divisionCode: '371325105', status: 'dispatched' });
      expect(stored?.citizen).to.deep.equal({ name: '张三', phone: '13812341234', email: 'zhangsan@example.com' });
      const { rows } = await harness().pool.query('SELECT service_code, lat, long, account_id FROM open311_requests WHERE case_id = $1', [stored?.id]);
      expect(rows[0]).to.deep.equal({ service_code: 'complaint-municipal', lat: 35.2661, long: 117.9776, account_id: 'acct-7' });
    });

    it('when a request is posted as JSON to requests.xml, then the answer is the spec XML receipt', async () => {
      const fields = filingFields(apiKey);
      const res = await request('POST', '/open311/v2/requests.xml', { body: { ...fields, lat: 35.2661, long: 117.9776, attribute: { title: '路灯不亮' } } });

      expect(res.status, res.text).to.equal(201);
      const [receipt] = parseXml(res.text).service_requests.request;
      expect(receipt.service_request_id).to.match(/^\d{15,20}$/);
      expect(receipt.account_id).to.equal('');
      expect(receipt.query_code).to.match(/^\d{6}$/);
    });

    it('when the same Idempotency-Key is sent again, then the same request is answered (200) and no second case exists', async () => {
      const fields = filingFields(apiKey);
      const key = `retry-${Date.now()}`;
      const first = await postForm('/open311/v2/requests.json', fields, { 'Idempotency-Key': key });
      const again = await postForm('/open311/v2/requests.json', fields, { 'Idempotency-Key': key });
      const different = await postForm('/open311/v2/requests.json', { ...fields, description: '另一件事情，和上一条无关' }, { 'Idempotency-Key': key });

      expect(first.status).to.equal(201);
      expect(again.status).to.equal(200);
      expect(again.body[0].service_request_id).to.equal(first.body[0].service_request_id);
      expect(different.status).to.equal(409);
      expect(different.body[0].code).to.equal(409);
    });

    it('when fields are missing or wrong, then it is a 400 listing each problem; an unknown service_code is a 400 too', async () => {
      const noPlace = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'complaint-municipal', description: '路灯坏了' });
      const badCoordinates = await postForm('/open311/v2/requests.json', filingFields(apiKey, { lat: '135', email: 'not-an-email' }));
      const unknownService = await postForm('/open311/v2/requests.xml', filingFields(apiKey, { service_code: 'petition' }));

      expect(noPlace.status).to.equal(400);
      expect(noPlace.body[0].description).to.match(/address_string|lat/);
      expect(badCoordinates.status).to.equal(400);
      expect(badCoordinates.body.map((e: { description: string }) => e.description).join(' ')).to.include('lat').and.include('email');
      expect(unknownService.status).to.equal(400);
      expect(parseXml(unknownService.text).errors.error[0].description).to.include('service_code');
    });

    it('when the api_key is missing or unknown, then it is a 403 and no case is filed', async () => {
      const before = (await harness().pool.query('SELECT count(*)::int AS n FROM cases')).rows[0].n as number;
      const missing = await postForm('/open311/v2/requests.json', { ...filingFields(''), api_key: '' });
      const unknown = await postForm('/open311/v2/requests.json', filingFields('o311_not-a-key'));

      expect(missing.status).to.equal(400);
      expect(unknown.status).to.equal(403);
      expect(unknown.body).to.deep.equal([{ code: 403, description: 'Invalid api_key: missing, unknown or revoked' }]);
      expect((await harness().pool.query('SELECT count(*)::int AS n FROM cases')).rows[0].n).to.equal(before);
    });

    it('when the body is not valid JSON, then it is a 400 in the Open311 error format', async () => {
      const res = await request('POST', '/open311/v2/requests.json', { raw: '{"api_key":', headers: { 'content-type': 'application/json' } });

      expect(res.status).to.equal(400);
      expect(res.body[0].code).to.equal(400);
    });
  });

  describe('reading requests', () => {
    let filed: { id: string; code: string };

    before(async () => {
      const res = await postForm('/open311/v2/requests.json', filingFields(apiKey, { media_url: 'https://img.example.com/lamp.jpg' }));
      filed = { id: res.body[0].service_request_id, code: res.body[0].query_code };
    });

    it('when one request is read in JSON and XML, then it carries the spec fields, de-identified like the citizen view', async () => {
      const json = await request('GET', `/open311/v2/requests/${filed.id}.json?api_key=${apiKey}`);
      const xml = await request('GET', `/open311/v2/requests/${filed.id}.xml?api_key=${apiKey}`);

      expect(json.status).to.equal(200);
      const [item] = json.body;
      expect(item).to.deep.include({
        service_request_id: filed.id,
        status: 'open',
        service_code: 'complaint-municipal',
        service_name: '市政设施损坏',
        address: '探沂镇',
        zipcode: null,
        lat: 35.266,
        long: 117.978,
        media_url: 'https://img.example.com/lamp.jpg',
      });
      expect(item.agency_responsible).to.be.a('string').with.length.above(0);
      expect(item.description).to.include('138****1234').and.not.include('13812341234');
      expect(json.text).not.to.include('张三').and.not.include('zhangsan').and.not.include(filed.code).and.not.include('朱田村');
      for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(item[field]).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      const [fromXml] = parseXml(xml.text).service_requests.request;
      expect(fromXml).to.include({ service_request_id: filed.id, status: 'open', address: '探沂镇', zipcode: '', expected_datetime: item.expected_datetime });
    });

    it('when requests are listed by id, service, status and dates, then each filter selects as the spec says', async () => {
      const byId = await request('GET', `/open311/v2/requests.json?api_key=${apiKey}&service_request_id=${filed.id},20990101000000001`);
      const byService = await request('GET', `/open311/v2/requests.json?api_key=${apiKey}&service_code=complaint-municipal&status=open`);
      const closed = await request('GET', `/open311/v2/requests.json?api_key=${apiKey}&status=closed&service_code=complaint-municipal`);
      const old = await request('GET', `/open311/v2/requests.xml?api_key=${apiKey}&start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z`);

      expect(byId.body.map((r: { service_request_id: string }) => r.service_request_id)).to.deep.equal([filed.id]);
      expect(byService.body.map((r: { service_request_id: string }) => r.service_request_id)).to.include(filed.id);
      expect(byService.body.every((r: { service_code: string; status: string }) => r.service_code === 'complaint-municipal' && r.status === 'open')).to.equal(true);
      expect(closed.body.map((r: { service_request_id: string }) => r.service_request_id)).not.to.include(filed.id);
      expect(parseXml(old.text).service_requests).to.equal('');
    });

    it('when a petition exists, then Open311 never lists or shows it', async () => {
      const operator = await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword } });
      expect(operator.status).to.equal(200);
      const { rows } = await harness().pool.query<{ case_no: string }>(`SELECT case_no FROM cases WHERE type IN ('petition', 'disclosure') LIMIT 1`);
      if (rows[0]) {
        const res = await request('GET', `/open311/v2/requests/${rows[0].case_no}.json?api_key=${apiKey}`);
        expect(res.status).to.equal(404);
      }
      const listed = await request('GET', `/open311/v2/requests.json?api_key=${apiKey}`);
      const numbers = new Set((listed.body as { service_request_id: string }[]).map((r) => r.service_request_id));
      const { rows: hidden } = await harness().pool.query<{ case_no: string }>(`SELECT case_no FROM cases WHERE type IN ('petition', 'disclosure')`);
      expect(hidden.filter((r) => numbers.has(r.case_no))).to.deep.equal([]);
    });

    it('when the updates of a request are read, then they are its public timeline in both formats', async () => {
      const json = await request('GET', `/open311/v2/requests/${filed.id}/updates.json?api_key=${apiKey}`);
      const xml = await request('GET', `/open311/v2/requests/${filed.id}/updates.xml?api_key=${apiKey}`);

      expect(json.status).to.equal(200);
      expect(json.body.length).to.be.at.least(2);
      expect(json.body[0]).to.include({ service_request_id: filed.id, status: 'open' });
      expect(parseXml(xml.text).service_request_updates.request_update).to.have.length(json.body.length);
    });

    it('when a request does not exist, is asked for without a key, or with a malformed id, then it is 404, 403 or 400 in the Open311 format', async () => {
      const missing = await request('GET', `/open311/v2/requests/20990101000000001.json?api_key=${apiKey}`);
      const noKey = await request('GET', `/open311/v2/requests/${filed.id}.json`);
      const malformed = await request('GET', `/open311/v2/requests/abc.xml?api_key=${apiKey}`);

      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal([{ code: 404, description: 'Service request not found' }]);
      expect(noKey.status).to.equal(400);
      expect(malformed.status).to.equal(400);
      expect(parseXml(malformed.text).errors.error[0].code).to.equal('400');
    });
  });

  it('when one api key makes more than its share of requests in a minute, then it gets 429 in the Open311 format while another key still passes', async () => {
    const { apiKey: busy } = await createOpen311Client(await adminToken(), '压测客户端');
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 121; i += 1) statuses.push((await request('GET', `/open311/v2/services/complaint-municipal.json?api_key=${busy}`, { ip })).status);
    const other = await request('GET', `/open311/v2/requests.json?api_key=${apiKey}&service_request_id=20990101000000001`, { ip });
    const limited = await request('GET', `/open311/v2/services.xml?api_key=${busy}`, { ip });

    expect(statuses.filter((s) => s !== 200), String(statuses.indexOf(429))).to.deep.equal([429]);
    expect(statuses[120]).to.equal(429);
    expect(other.status).to.equal(200);
    expect(limited.status).to.equal(429);
    expect(parseXml(limited.text).errors.error[0].code).to.equal('429');
  });
});
