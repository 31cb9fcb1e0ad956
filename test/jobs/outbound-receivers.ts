import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One request a receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly raw: string;
  readonly body: Record<string, any>;
  readonly status: number;
}

/**
 * A real HTTP server on a free local port standing in for a channel's reply endpoint or an SMS
 * gateway: it records every request and answers each path with a planned sequence of statuses
 * (the last one repeats; 200 when nothing is planned).
 */
export class HttpReceiver {
  readonly received: ReceivedRequest[] = [];
  private readonly plans = new Map<string, number[]>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const plan = this.plans.get(req.url ?? '') ?? [200];
      const status = plan.length > 1 ? (plan.shift() ?? 200) : (plan[0] ?? 200);
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(raw) as Record<string, any>;
      } catch {
        // Recorded as is; the test says what it expected.
      }
      this.received.push({ path: req.url ?? '', headers: req.headers, raw, body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Answers `path` with these statuses in turn, the last one from then on. */
  plan(path: string, statuses: number[]): void {
    this.plans.set(path, [...statuses]);
  }

  /** The requests about one case (other tests' jobs may still reach a receiver). */
  about(caseNo: string): ReceivedRequest[] {
    return this.received.filter((r) => r.body.caseNo === caseNo);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An e-mail as the SMTP sink received it, decoded. */
export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly headers: Map<string, string>;
  readonly subject: string;
  readonly text: string;
  readonly raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=), as nodemailer writes a Chinese subject. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
  );
}

function decodeQp(data: string): string {
  const bytes = data.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
}

/** Splits a single-part message into headers and a decoded body. */
export function parseMail(raw: string, envelopeTo: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQp(body) : body;
  return { envelopeTo, headers, subject: decodeWords(headers.get('subject') ?? ''), text, raw };
}

/** A real SMTP server on a free local port (no TLS, no authentication) that keeps what it is sent. */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((a) => a.address);
        this.mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), to));
        callback();
      });
    },
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** The mails about one case, by the case number in their subject. */
  about(caseNo: string): ReceivedMail[] {
    return this.mails.filter((m) => m.subject.includes(caseNo));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `sha256=<hex HMAC-SHA256>` computed here, independently of the code under test. */
export function sign(secret: string, raw: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
}
