/** EHLO reply → capabilities (RFC 5321 §4.1.1.1 and the extensions Postbote uses). */
import type { SmtpCapabilities } from './types.js';

export function emptyCapabilities(serverName = ''): SmtpCapabilities {
  return {
    serverName, extensions: {}, pipelining: false, eightBitMime: false, smtpUtf8: false, startTls: false,
    chunking: false, dsn: false, enhancedStatusCodes: false, authMechanisms: [], heloOnly: false,
  };
}

/** `lines` are the reply texts (code stripped); the first is the greeting line of EHLO. */
export function parseEhlo(lines: readonly string[]): SmtpCapabilities {
  const caps = emptyCapabilities((lines[0] ?? '').split(/\s+/)[0] ?? '');
  const auth = new Set<string>();
  for (const line of lines.slice(1)) {
    const parts = line.trim().split(/\s+/).filter(Boolean);
    const head = parts[0];
    if (!head) continue;
    // The pre-RFC form "AUTH=PLAIN LOGIN" still shows up on old servers.
    const eq = head.indexOf('=');
    const keyword = (eq > 0 ? head.slice(0, eq) : head).toUpperCase();
    const params = eq > 0 ? [head.slice(eq + 1), ...parts.slice(1)].filter(Boolean) : parts.slice(1);
    caps.extensions[keyword] = [...(caps.extensions[keyword] ?? []), ...params];
    switch (keyword) {
      case 'SIZE': {
        const n = Number(params[0] ?? '0');
        caps.size = Number.isSafeInteger(n) && n >= 0 ? n : 0;
        break;
      }
      case 'PIPELINING': caps.pipelining = true; break;
      case '8BITMIME': caps.eightBitMime = true; break;
      case 'SMTPUTF8': caps.smtpUtf8 = true; break;
      case 'STARTTLS': caps.startTls = true; break;
      case 'CHUNKING': caps.chunking = true; break;
      case 'DSN': caps.dsn = true; break;
      case 'ENHANCEDSTATUSCODES': caps.enhancedStatusCodes = true; break;
      case 'AUTH': for (const p of params) auth.add(p.toUpperCase()); break;
      default: break;
    }
  }
  caps.authMechanisms = [...auth];
  return caps;
}
