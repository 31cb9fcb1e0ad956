import { harness } from './harness.js';

/** A response as tests look at it. */
export interface TestResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  readonly text: string;
}

/** Options of one request. */
export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  /** The client address the API sees (the API trusts X-Forwarded-For from loopback). */
  readonly ip?: string;
}

/** Calls the API over real HTTP. */
export async function request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  let body: string | undefined = options.raw;
  if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(`${harness().baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (metrics, pages): tests read `text`.
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

let ipCounter = 0;
/** A fresh client address, so that per-IP rate limits of one test do not spill into another. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.${18 + ((ipCounter >> 16) & 1)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}
