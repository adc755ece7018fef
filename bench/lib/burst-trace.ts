/**
 * Which client write burst waited for which server reply: the proxy's bursts (bytes on the
 * wire, TLS included) labelled with the protocol lines the client logged (our transcript,
 * nodemailer's debug log), one line per round trip.
 *
 * A client line logged at time t belongs to the first client burst that reached the proxy
 * at or after t (same process, same clock); a server line the client logged at time t
 * belongs to the last server burst that left the proxy by t - one-way delay. Bursts with
 * no protocol line are TLS records (handshake, session tickets).
 */
import type { Burst } from './latency-proxy.js';

export interface LoggedLine {
  t: number;
  dir: 'C' | 'S';
  text: string;
}

/** A collector for protocol lines, with the wall clock the proxy uses. */
export class LineLog {
  readonly lines: LoggedLine[] = [];
  add(dir: 'C' | 'S', text: string): void {
    this.lines.push({ t: performance.now(), dir, text: shorten(text) });
  }
  clear(): void {
    this.lines.length = 0;
  }
}

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (/^AUTH (PLAIN|LOGIN|CRAM-MD5)\b/i.test(t)) return t.split(' ').slice(0, 2).join(' ') + (t.split(' ').length > 2 ? ' <ir>' : '');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

/** Collapses "250 x" ×5 into "250 ×5" style runs and joins. */
function summarise(texts: string[]): string {
  const out: string[] = [];
  let prev = '';
  let n = 0;
  const key = (s: string): string => (/^(RCPT TO|250)/.test(s) ? s.split(/[ :]/)[0] ?? s : s);
  const flush = (): void => {
    if (n) out.push(n > 1 ? `${prev} ×${n}` : prev);
  };
  for (const t of texts) {
    const k = key(t);
    if (k === key(prev) && n > 0 && (k === 'RCPT' || k === '250')) {
      n++;
      prev = k;
      continue;
    }
    flush();
    prev = t;
    n = 1;
  }
  flush();
  return out.join(', ');
}

export function explainRoundTrips(bursts: Burst[], log: LoggedLine[], oneWayMs: number): string[] {
  const conn = bursts[0]?.conn;
  const own = bursts.filter((b) => b.conn === conn);
  const labels = new Map<Burst, string[]>();
  const cBursts = own.filter((b) => b.dir === 'C');
  const sBursts = own.filter((b) => b.dir === 'S');
  for (const l of log) {
    let target: Burst | undefined;
    if (l.dir === 'C') target = cBursts.find((b) => b.t >= l.t - 0.5);
    else target = [...sBursts].reverse().find((b) => b.t <= l.t - oneWayMs + 3);
    if (!target) continue;
    // Continuation lines of a multi-line reply (250-…) add nothing to the story.
    if (l.dir === 'S' && /^\d{3}-/.test(l.text)) continue;
    labels.set(target, [...(labels.get(target) ?? []), l.text]);
  }
  // A client burst with no line of its own right after a 354 is the message body (nodemailer does not log it).
  let after354 = false;
  const text = (b: Burst): string => {
    const l = labels.get(b);
    const what = l ? summarise(l) : b.dir === 'C' && after354 ? 'message body + "."' : 'TLS records';
    if (b.dir === 'S') after354 = (l ?? []).some((x) => x.startsWith('354'));
    return `${what} [${b.bytes} B]`;
  };
  const out: string[] = [];
  let pending: Burst[] = [];
  let rt = 0;
  for (const b of own) {
    if (b.dir === 'TCP') {
      out.push(`RT${++rt}: TCP SYN → SYN-ACK`);
    } else if (b.dir === 'C') {
      pending.push(b);
    } else if (b.roundTrip) {
      out.push(`RT${++rt}: C ${pending.map(text).join(' + ')}  →  S ${text(b)}`);
      pending = [];
    } else {
      out.push(`      (S, unprompted: ${text(b)})`);
    }
  }
  if (pending.length) out.push(`      (C, not waited for: ${pending.map(text).join(' + ')})`);
  return out;
}
