import crypto from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { RunningServer } from '../../server.js';
import { harness } from '../support/harness.js';
import { freshIp } from '../support/http.js';
import { freshPhone, startMailboxServer } from '../support/mailbox-server.js';

interface Answer {
  readonly status: number;
  readonly body: Record<string, any>;
  readonly retryAfter: string | null;
}

async function post(server: RunningServer, path: string, body: unknown, ip: string): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any>, retryAfter: res.headers.get('retry-after') };
}

function letter(phone: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { phone, title: '反映一个情况', content: `希望有关部门核实处理 ${crypto.randomBytes(3).toString('hex')}`, ...extra };
}

describe("the mayor's mailbox against abuse: caps per phone and overall, and a captcha when traffic is unusual", function () {
  this.timeout(60_000);
  let redis: Redis;
  const servers: RunningServer[] = [];
  const started = async (limits: Parameters<typeof startMailboxServer>[0]): Promise<RunningServer> => {
    const server = await startMailboxServer(limits);
    servers.push(server);
    return server;
  };

  before(() => {
    redis = new Redis(harness().redisUrl);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await redis.quit();
  });

  describe('caps', () => {
    it('when one phone number has sent its cap of letters, then the next is refused with 429 and Retry-After, whatever the address, and other phones still write', async () => {
      const server = await started({ perPhone: { max: 2, windowSeconds: 600 } });
      const phone = freshPhone();

      const first = await post(server, '/api/public/mailbox', letter(phone), freshIp());
      // Another written form of the same number counts against the same cap.
      const second = await post(server, '/api/public/mailbox', letter(`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`), freshIp());
      const third = await post(server, '/api/public/mailbox', letter(phone), freshIp());
      const otherPhone = await post(server, '/api/public/mailbox', letter(freshPhone()), freshIp());

      expect([first.status, second.status], JSON.stringify(second.body)).to.deep.equal([201, 201]);
      expect(third.status).to.equal(429);
      expect(third.body.error.code).to.equal('rate_limited');
      expect(third.body.error.details[0]).to.include({ path: 'body.phone' });
      const wait = Number(third.retryAfter);
      expect(wait).to.be.within(1, 600);
      expect(third.body.error.details[0].retryAfterSeconds).to.equal(wait);
      expect(otherPhone.status).to.equal(201);
    });

    it('when the mailbox has taken its cap of letters in the window, then every further letter is refused with 429 and Retry-After', async () => {
      // Letters of other tests count in the same window: the cap is set two above what was taken so far.
      const taken = Number((await redis.get('mb:g')) ?? 0);
      const server = await started({ global: { max: taken + 2, windowSeconds: 3_600 } });

      const statuses: number[] = [];
      for (let i = 0; i < 2; i += 1) statuses.push((await post(server, '/api/public/mailbox', letter(freshPhone()), freshIp())).status);
      const over = await post(server, '/api/public/mailbox', letter(freshPhone()), freshIp());

      expect(statuses).to.deep.equal([201, 201]);
      expect(over.status).to.equal(429);
      expect(over.body.error).to.include({ code: 'rate_limited' });
      expect(over.body.error.message).to.match(/mailbox has taken as many letters/);
      expect(Number(over.retryAfter)).to.be.within(1, 3_600);
    });

    it('when letters race past the cap at once, then exactly the cap is taken', async () => {
      const server = await started({ perPhone: { max: 3, windowSeconds: 600 } });
      const phone = freshPhone();

      const answers = await Promise.all(Array.from({ length: 8 }, () => post(server, '/api/public/mailbox', letter(phone), freshIp())));

      expect(answers.filter((a) => a.status === 201)).to.have.length(3);
      expect(answers.filter((a) => a.status === 429)).to.have.length(5);
    });
  });

  describe('captcha', () => {
    let server: RunningServer;
    before(async () => {
      // One letter per address an hour is ordinary here; the second asks for a captcha.
      server = await started({ captchaAfter: { perIp: { max: 1, windowSeconds: 600 } } });
    });

    const challenge = async (ip: string): Promise<{ challengeId: string; image: string; expiresInSeconds: number }> => {
      const res = await post(server, '/api/public/mailbox/captchas', {}, ip);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body as { challengeId: string; image: string; expiresInSeconds: number };
    };
    // The test reads the answer where the server keeps it, as no client can.
    const answerOf = async (challengeId: string): Promise<string> => (await redis.get(`mb:captcha:${challengeId}`)) ?? '';

    it('when traffic is ordinary, then a letter is taken without any captcha', async () => {
      const res = await post(server, '/api/public/mailbox', letter(freshPhone()), freshIp());

      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    });

    it('when an address sends past the threshold without a captcha, then 428 captcha_required says so and nothing is stored', async () => {
      const ip = freshIp();
      expect((await post(server, '/api/public/mailbox', letter(freshPhone()), ip)).status).to.equal(201);
      const before = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');

      const res = await post(server, '/api/public/mailbox', letter(freshPhone()), ip);

      expect(res.status).to.equal(428);
      expect(res.body.error.code).to.equal('captcha_required');
      expect(res.body.error.details).to.deep.equal([{ path: 'body.captcha', message: 'required while traffic is unusual' }]);
      const after = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      expect(after.rows[0]?.n).to.equal(before.rows[0]?.n);
    });

    it('when a challenge is drawn, then it is an SVG picture whose answer expires within five minutes', async () => {
      const drawn = await challenge(freshIp());

      expect(drawn.challengeId).to.match(/^[\w-]{22}$/);
      expect(Buffer.from(drawn.image.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).to.match(/^<svg[^>]*>.*<\/svg>$/s);
      expect(drawn.expiresInSeconds).to.equal(300);
      const ttl = await redis.ttl(`mb:captcha:${drawn.challengeId}`);
      expect(ttl).to.be.within(1, 300);
    });

    it('when the answer is wrong, then 400 captcha_invalid, and the challenge is spent: even its right answer is refused afterwards', async () => {
      const ip = freshIp();
      await post(server, '/api/public/mailbox', letter(freshPhone()), ip);
      const drawn = await challenge(ip);
      const right = await answerOf(drawn.challengeId);

      const wrong = await post(server, '/api/public/mailbox', letter(freshPhone(), { captcha: { challengeId: drawn.challengeId, answer: right === 'abcd' ? 'abce' : 'abcd' } }), ip);
      const late = await post(server, '/api/public/mailbox', letter(freshPhone(), { captcha: { challengeId: drawn.challengeId, answer: right } }), ip);

      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.deep.include({ code: 'captcha_invalid', details: [{ path: 'body.captcha.answer', message: 'wrong, used or expired' }] });
      expect(late.status).to.equal(400);
      expect(late.body.error.code).to.equal('captcha_invalid');
    });

    it('when the right answer is sent, then the letter is taken; the same answer sent again is refused', async () => {
      const ip = freshIp();
      await post(server, '/api/public/mailbox', letter(freshPhone()), ip);
      const drawn = await challenge(ip);
      const right = await answerOf(drawn.challengeId);

      const accepted = await post(server, '/api/public/mailbox', letter(freshPhone(), { captcha: { challengeId: drawn.challengeId, answer: right.toUpperCase() } }), ip);
      const reused = await post(server, '/api/public/mailbox', letter(freshPhone(), { captcha: { challengeId: drawn.challengeId, answer: right } }), ip);

      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(201);
      expect(accepted.body.caseNo).to.match(/^\d{15}$/);
      expect(reused.status).to.equal(400);
      expect(reused.body.error.code).to.equal('captcha_invalid');
    });

    it('when a challenge id was never issued, then the answer is refused like a wrong one', async () => {
      const ip = freshIp();
      await post(server, '/api/public/mailbox', letter(freshPhone()), ip);

      const res = await post(server, '/api/public/mailbox', letter(freshPhone(), { captcha: { challengeId: crypto.randomBytes(16).toString('base64url'), answer: 'abcd' } }), ip);

      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('captcha_invalid');
    });
  });
});
