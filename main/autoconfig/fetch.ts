/**
 * The HTTP(S) fetcher discovery reads autoconfig files with: certificates verified against
 * the system store (plus an optional extra CA), a few redirects at most and never from
 * https down to http, a small size cap, and the caller's abort signal honoured throughout.
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { FetchText, FetchTextResult } from './discover.js';

export interface FetcherOptions {
  extraCaPem?: string;
  /** Standard port (443, 80) → port actually dialled; for tests. */
  portMap?: Readonly<Record<number, number>>;
  /** Host name → address actually dialled; TLS is still checked against the host name. */
  connectAddress?: (host: string) => string | undefined;
  maxBytes?: number;
  maxRedirects?: number;
}

export class FetchError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'FetchError';
  }
}

export function createHttpsFetcher(o: FetcherOptions = {}): FetchText {
  const maxBytes = o.maxBytes ?? 256 * 1024;
  const maxRedirects = o.maxRedirects ?? 3;
  const ca = o.extraCaPem ? [...rootCertificates, o.extraCaPem] : undefined;

  const once = (url: URL, signal: AbortSignal): Promise<{ status: number; location?: string; text: string }> =>
    new Promise((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const defaultPort = secure ? 443 : 80;
      const port = url.port ? Number(url.port) : defaultPort;
      const host = url.hostname;
      const address = o.connectAddress?.(host) ?? host;
      const options: https.RequestOptions = {
        host: address,
        port: o.portMap?.[port] ?? port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { host: url.host, accept: 'application/xml, text/xml;q=0.9, */*;q=0.1', 'user-agent': 'Postbote autoconfig' },
        signal,
        ...(secure ? { servername: host, rejectUnauthorized: true, minVersion: 'TLSv1.2' as const, ...(ca ? { ca } : {}) } : {}),
      };
      const req = (secure ? https : http).request(options, (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400) {
          res.resume();
          resolve({ status, text: '', ...(location ? { location } : {}) });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new FetchError(`response larger than ${maxBytes} bytes`, 'ETOOLARGE'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  return async (input, { signal }): Promise<FetchTextResult> => {
    let url = new URL(input);
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FetchError(`unsupported URL scheme ${url.protocol}`, 'EPROTOCOL');
      const r = await once(url, signal);
      if (r.status >= 300 && r.status < 400 && r.status !== 304) {
        if (!r.location) throw new FetchError(`redirect ${r.status} without a location`, 'EREDIRECT');
        if (hop >= maxRedirects) throw new FetchError(`more than ${maxRedirects} redirects`, 'EREDIRECT');
        const next = new URL(r.location, url);
        if (url.protocol === 'https:' && next.protocol !== 'https:') throw new FetchError('refusing a redirect from https to http', 'EDOWNGRADE');
        url = next;
        continue;
      }
      return { status: r.status, text: r.text, url: url.toString() };
    }
  };
}
