/**
 * Loopback servers for the autoconfig tests: a DNS server (dns2) answering MX and SRV for
 * test domains, and HTTP/HTTPS servers serving autoconfig files by host name and path.
 * Test support only — product code never imports this file.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Resolver } from 'node:dns/promises';
import dns2 from 'dns2';

export interface ZoneEntry {
  mx?: Array<{ exchange: string; priority: number }>;
  srv?: Array<{ target: string; port: number; priority?: number; weight?: number }>;
  rcode?: 'NXDOMAIN' | 'SERVFAIL';
  /** Answer after this long (the client's timeout may fire first). */
  delayMs?: number;
}

export interface TestDns {
  port: number;
  resolver(opts?: { timeoutMs?: number }): Resolver;
  close(): Promise<void>;
}

/**
 * RFC 2782: the SRV target must not be name-compressed, and c-ares (Node's resolver)
 * rejects the answer as EBADRESP when it is; dns2 compresses it. Encode it plainly.
 */
function encodeSrvUncompressed(): void {
  type Writer = { write(value: number, bits: number): void };
  const srv = (dns2.Packet.Resource as unknown as Record<string, { encode(r: Record<string, unknown>, w: Writer): void }>)['SRV'];
  if (!srv) return;
  srv.encode = (record, writer) => {
    writer.write(Number(record['priority']), 16);
    writer.write(Number(record['weight']), 16);
    writer.write(Number(record['port']), 16);
    for (const label of String(record['target']).split('.').filter((l) => l.length > 0)) {
      const bytes = Buffer.from(label, 'ascii');
      writer.write(bytes.length, 8);
      for (const b of bytes) writer.write(b, 8);
    }
    writer.write(0, 8);
  };
}

export async function startDnsServer(zone: Record<string, ZoneEntry>): Promise<TestDns> {
  const { Packet } = dns2;
  encodeSrvUncompressed();
  const timers = new Set<NodeJS.Timeout>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      // dns2's typings lack the SRV fields; the encoder reads them all the same.
      const answer = (o: Record<string, unknown>): void => { response.answers.push(o as unknown as Parameters<typeof response.answers.push>[0]); };
      const q = request.questions[0];
      const name = (q?.name ?? '').toLowerCase();
      const entry = zone[name];
      if (!q || !entry) {
        response.header.rcode = 3; // NXDOMAIN
      } else if (entry.rcode) {
        response.header.rcode = entry.rcode === 'NXDOMAIN' ? 3 : 2;
      } else if (q.type === Packet.TYPE.MX) {
        for (const m of entry.mx ?? []) {
          answer({ name: q.name, type: Packet.TYPE.MX, class: Packet.CLASS.IN, ttl: 60, exchange: m.exchange, priority: m.priority });
        }
      } else if (q.type === Packet.TYPE.SRV) {
        for (const s of entry.srv ?? []) {
          answer({ name: q.name, type: Packet.TYPE.SRV, class: Packet.CLASS.IN, ttl: 60,
            priority: s.priority ?? 0, weight: s.weight ?? 0, port: s.port, target: s.target });
        }
      }
      if (entry?.delayMs) {
        const t = setTimeout(() => { timers.delete(t); void send(response); }, entry.delayMs);
        timers.add(t);
      } else {
        void send(response);
      }
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (addresses.udp as AddressInfo).port;
  return {
    port,
    resolver(opts = {}) {
      const r = new Resolver({ timeout: opts.timeoutMs ?? 1000, tries: 1 });
      r.setServers([`127.0.0.1:${port}`]);
      return r;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await server.close();
    },
  };
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestWeb {
  httpsPort: number;
  httpPort: number;
  close(): Promise<void>;
}

/** Serves routes keyed "host/path" (path without the query), over HTTPS and plain HTTP alike. */
export async function startWebServers(cert: { keyPem: string; certPem: string }, routes: Record<string, Route>): Promise<TestWeb> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const scheme = req.socket && 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
    const route = routes[`${scheme}://${host}${path}`] ?? routes[`${host}${path}`];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(req, res);
  };
  const secure = https.createServer({ key: cert.keyPem, cert: cert.certPem }, handler);
  const plain = http.createServer(handler);
  await Promise.all([
    new Promise<void>((r) => secure.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => plain.listen(0, '127.0.0.1', r)),
  ]);
  return {
    httpsPort: (secure.address() as AddressInfo).port,
    httpPort: (plain.address() as AddressInfo).port,
    async close() {
      secure.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([new Promise((r) => secure.close(r)), new Promise((r) => plain.close(r))]);
    },
  };
}

export const xmlRoute = (xml: string, status = 200): Route => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/xml' }).end(xml);
};

export function configXml(servers: Array<{ host: string; port: number; socketType: string; username?: string; auth?: string }>, name = 'Test Provider'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="test">
    <domain>example.test</domain>
    <displayName>${name}</displayName>
    <incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
${servers.map((s) => `    <outgoingServer type="smtp">
      <hostname>${s.host}</hostname><port>${s.port}</port><socketType>${s.socketType}</socketType>
      <username>${s.username ?? '%EMAILADDRESS%'}</username><authentication>${s.auth ?? 'password-cleartext'}</authentication>
    </outgoingServer>`).join('\n')}
  </emailProvider>
</clientConfig>
`;
}
