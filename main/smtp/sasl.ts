/**
 * SASL mechanisms for SMTP AUTH (RFC 4954): PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER
 * (RFC 7628) and SCRAM-SHA-256 (RFC 5802 / 7677). Each mechanism is a small step
 * function: server challenge in, client response out. No I/O here, so the math is
 * testable against the RFC vectors.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthMechanism, SmtpCredentials } from './types.js';

/** Strongest first. OAuth mechanisms only apply when a token is given, password ones when a password is. */
/**
 * Inside verified TLS: SCRAM first (mutual proof, nothing reusable on the wire), then PLAIN.
 * PLAIN's password travels only inside the encryption, it costs one round trip (initial
 * response) where CRAM-MD5 costs two, and it lets the server keep only a password hash —
 * CRAM-MD5 forces it to store a plaintext-equivalent secret. Without TLS (loopback only,
 * when an account explicitly allows it) the challenge-response mechanisms come first.
 */
export const mechanismPreference: readonly AuthMechanism[] = ['SCRAM-SHA-256', 'PLAIN', 'LOGIN', 'CRAM-MD5'];
export const unencryptedMechanismPreference: readonly AuthMechanism[] = ['SCRAM-SHA-256', 'CRAM-MD5', 'PLAIN', 'LOGIN'];
export const tokenMechanismPreference: readonly AuthMechanism[] = ['OAUTHBEARER', 'XOAUTH2'];
/** Mechanisms that put a reusable secret on the wire (need TLS). */
export const cleartextMechanisms: ReadonlySet<string> = new Set(['PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER']);

export interface SaslClient {
  readonly name: AuthMechanism;
  /** Initial response (already base64), or null when the mechanism waits for a challenge. */
  initial(): string | null;
  /** Decoded server challenge → base64 response; throws SaslError on a bad server message. */
  step(challenge: Buffer): string;
  /** Called with the data of the final 235 (SCRAM checks the server signature). */
  finish?(serverFinal: Buffer | null): void;
}

export class SaslError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SaslError';
  }
}

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

export function chooseMechanism(serverMechs: readonly string[], creds: SmtpCredentials, opts: { encrypted: boolean } = { encrypted: true }): AuthMechanism | null {
  const offered = new Set(serverMechs.map((m) => m.toUpperCase()));
  const passwordList = opts.encrypted ? mechanismPreference : unencryptedMechanismPreference;
  const list = creds.accessToken !== undefined ? tokenMechanismPreference : creds.password !== undefined ? passwordList : [];
  return list.find((m) => offered.has(m)) ?? null;
}

export function createSaslClient(name: AuthMechanism, creds: SmtpCredentials, opts: { host: string; port: number; nonce?: string }): SaslClient {
  const user = creds.username;
  const needPassword = (): string => {
    if (creds.password === undefined) throw new SaslError(`${name} needs a password`);
    return creds.password;
  };
  const needToken = (): string => {
    if (creds.accessToken === undefined) throw new SaslError(`${name} needs an OAuth access token`);
    return creds.accessToken;
  };
  switch (name) {
    case 'PLAIN': {
      const pass = needPassword();
      return { name, initial: () => b64(`\0${user}\0${pass}`), step: () => { throw new SaslError('unexpected challenge after PLAIN'); } };
    }
    case 'LOGIN': {
      const pass = needPassword();
      let n = 0;
      return {
        name,
        initial: () => null,
        step: (ch) => {
          const prompt = ch.toString('utf8').toLowerCase();
          n++;
          if (prompt.startsWith('user') || (n === 1 && !prompt.startsWith('pass'))) return b64(user);
          if (prompt.startsWith('pass') || n === 2) return b64(pass);
          throw new SaslError('unexpected third LOGIN challenge');
        },
      };
    }
    case 'CRAM-MD5': {
      const pass = needPassword();
      return {
        name,
        initial: () => null,
        step: (ch) => b64(`${user} ${createHmac('md5', pass).update(ch).digest('hex')}`),
      };
    }
    case 'XOAUTH2': {
      const token = needToken();
      // On failure the server sends a JSON challenge; the client answers with an empty line.
      return { name, initial: () => b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`), step: () => '' };
    }
    case 'OAUTHBEARER': {
      const token = needToken();
      const gs2 = `n,a=${saslName(user)},`;
      return {
        name,
        initial: () => b64(`${gs2}\x01host=${opts.host}\x01port=${opts.port}\x01auth=Bearer ${token}\x01\x01`),
        // RFC 7628 §3.2.3: after an error challenge the client sends a dummy %x01.
        step: () => b64('\x01'),
      };
    }
    case 'SCRAM-SHA-256':
      return new ScramSha256Client(user, needPassword(), opts.nonce);
  }
}

/** RFC 5802 saslname: "=" and "," escaped. */
function saslName(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export class ScramSha256Client implements SaslClient {
  readonly name = 'SCRAM-SHA-256' as const;
  private readonly clientNonce: string;
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | null = null;
  private readonly user: string;
  private readonly password: string;

  constructor(user: string, password: string, nonce?: string) {
    this.user = user;
    this.password = password;
    this.clientNonce = nonce ?? randomBytes(18).toString('base64');
  }

  initial(): string {
    // SASLprep is not applied: we pass the user's password bytes as typed (UTF-8, NFC).
    this.clientFirstBare = `n=${saslName(this.user.normalize('NFC'))},r=${this.clientNonce}`;
    return b64(`n,,${this.clientFirstBare}`);
  }

  step(challenge: Buffer): string {
    const serverFirst = challenge.toString('utf8');
    if (this.expectedServerSignature) {
      // Some servers send server-final as a 334 challenge; answer with an empty response.
      this.verifyServerFinal(serverFirst);
      return '';
    }
    const attrs = parseAttrs(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iter = Number(attrs.get('i'));
    if (attrs.has('e')) throw new SaslError(`SCRAM server error: ${attrs.get('e') ?? ''}`);
    if (!nonce || !salt || !Number.isInteger(iter) || iter < 1) throw new SaslError('malformed SCRAM server-first-message');
    if (!nonce.startsWith(this.clientNonce) || nonce.length <= this.clientNonce.length) throw new SaslError('SCRAM server nonce does not extend ours');
    if (iter > 1_000_000) throw new SaslError('SCRAM iteration count unreasonably high');
    const { proof, serverSignature, clientFinalWithoutProof } = scramSha256Proof({
      password: this.password.normalize('NFC'), salt: Buffer.from(salt, 'base64'), iterations: iter,
      clientFirstBare: this.clientFirstBare, serverFirst, combinedNonce: nonce,
    });
    this.expectedServerSignature = serverSignature;
    return b64(`${clientFinalWithoutProof},p=${proof.toString('base64')}`);
  }

  finish(serverFinal: Buffer | null): void {
    if (serverFinal && serverFinal.length > 0) this.verifyServerFinal(serverFinal.toString('utf8'));
    else if (!this.verified) throw new SaslError('SCRAM server did not prove it knows the password');
  }

  private verified = false;
  private verifyServerFinal(text: string): void {
    const attrs = parseAttrs(text);
    if (attrs.has('e')) throw new SaslError(`SCRAM server error: ${attrs.get('e') ?? ''}`);
    const v = attrs.get('v');
    const got = v ? Buffer.from(v, 'base64') : Buffer.alloc(0);
    const want = this.expectedServerSignature;
    if (!want || got.length !== want.length || !timingSafeEqual(got, want)) throw new SaslError('SCRAM server signature is wrong: the server may be an impostor');
    this.verified = true;
  }
}

function parseAttrs(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) m.set(part[0] ?? '', part.slice(2));
  }
  return m;
}

/** RFC 5802 §3 math with SHA-256 (exported for the RFC 7677 test vector). */
export function scramSha256Proof(p: { password: string; salt: Buffer; iterations: number; clientFirstBare: string; serverFirst: string; combinedNonce: string }): { proof: Buffer; serverSignature: Buffer; clientFinalWithoutProof: string } {
  const salted = pbkdf2Sync(p.password, p.salt, p.iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const clientFinalWithoutProof = `c=${b64('n,,')},r=${p.combinedNonce}`;
  const authMessage = `${p.clientFirstBare},${p.serverFirst},${clientFinalWithoutProof}`;
  const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = (clientKey[i] ?? 0) ^ (clientSignature[i] ?? 0);
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const serverSignature = createHmac('sha256', serverKey).update(authMessage).digest();
  return { proof, serverSignature, clientFinalWithoutProof };
}
