/**
 * Captures the real replies of the loopback Postfix + Dovecot test server for the failures
 * the error explainer must handle (wrong password, unknown user, message too large, relay
 * denied, …) into main/testing/fixtures/postfix-replies.json.
 *
 *   sudo bash scripts/test-servers/postfix-dovecot.sh
 *   npx tsx scripts/test-servers/capture-postfix-replies.ts [output.json]
 *
 * It speaks SMTP itself with a deliberately tiny client, independent of main/smtp, so the
 * fixture records what the server says and not what our engine makes of it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createHmac } from 'node:crypto';
import { loadPostfixInfo, postfixUnavailableReason, removeDelivered, waitForDelivery, type PostfixInfo } from '../../main/testing/postfix.js';

type PortName = 'smtp' | 'submission' | 'submissions';

interface Reply {
  code: number;
  enhancedCode?: string;
  /** Text of every line without code and enhanced code, joined by "\n". */
  text: string;
  /** The reply lines exactly as received (without CRLF). */
  lines: string[];
}

export interface CapturedReply extends Reply {
  id: string;
  description: string;
  port: PortName;
  /** The engine phase this reply belongs to (shared/errors.ts DeliveryPhase). */
  phase: 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'quit';
  /** The command that provoked it; credentials are redacted. */
  command: string;
}

const timeoutMs = 10_000;

/** A minimal line-oriented SMTP dialogue. */
class Dialogue {
  private buffer = '';
  private waiting: ((reply: Reply) => void) | null = null;
  private failing: ((error: Error) => void) | null = null;
  private constructor(private socket: Socket | TLSSocket, private readonly info: PostfixInfo) {
    this.attach();
  }

  static async open(info: PostfixInfo, port: PortName): Promise<{ dialogue: Dialogue; greeting: Reply }> {
    const socket = port === 'submissions'
      ? tlsConnect({ host: info.host, port: info.ports[port], servername: info.tlsServername, ca: readFileSync(info.caCertPath) })
      : netConnect({ host: info.host, port: info.ports[port] });
    const dialogue = new Dialogue(socket, info);
    const greeting = await dialogue.read();
    return { dialogue, greeting };
  }

  private attach(): void {
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.tryDeliver();
    });
    this.socket.on('error', (error: Error) => this.failing?.(error));
  }

  private tryDeliver(): void {
    if (!this.waiting) return;
    const lines: string[] = [];
    let rest = this.buffer;
    for (;;) {
      const end = rest.indexOf('\r\n');
      if (end === -1) return;
      const line = rest.slice(0, end);
      rest = rest.slice(end + 2);
      lines.push(line);
      if (!/^\d{3}-/.test(line)) break;
    }
    this.buffer = rest;
    const deliver = this.waiting;
    this.waiting = null;
    this.failing = null;
    deliver(parseReply(lines));
  }

  read(): Promise<Reply> {
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a reply')), timeoutMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolveReply(reply);
      };
      this.failing = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.tryDeliver();
    });
  }

  async command(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.read();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  async startTls(): Promise<Reply> {
    const reply = await this.command('STARTTLS');
    if (reply.code !== 220) throw new Error(`STARTTLS refused: ${reply.lines.join(' | ')}`);
    this.socket.removeAllListeners('data');
    this.buffer = '';
    this.socket = await new Promise<TLSSocket>((resolveTls, reject) => {
      const secure = tlsConnect({ socket: this.socket, servername: this.info.tlsServername, ca: readFileSync(this.info.caCertPath) }, () => resolveTls(secure));
      secure.once('error', reject);
    });
    this.attach();
    return reply;
  }

  close(): void {
    this.socket.end('QUIT\r\n');
    this.socket.on('error', () => undefined);
  }
}

function parseReply(lines: string[]): Reply {
  const code = Number(lines[0]?.slice(0, 3));
  let enhancedCode: string | undefined;
  const texts = lines.map((line) => {
    let text = line.slice(4);
    const match = /^([245]\.\d{1,3}\.\d{1,3})(?: |$)/.exec(text);
    if (match) {
      enhancedCode ??= match[1];
      text = text.slice(match[0].length);
    }
    return text;
  });
  return { code, enhancedCode, text: texts.join('\n'), lines };
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

async function capture(info: PostfixInfo): Promise<CapturedReply[]> {
  const out: CapturedReply[] = [];
  const record = (id: string, description: string, port: PortName, phase: CapturedReply['phase'], command: string, reply: Reply): Reply => {
    out.push({ id, description, port, phase, command, ...reply });
    if (process.env.DEBUG_CAPTURE) console.error(id, reply.lines.join(" | "));
    return reply;
  };
  const user = info.users[0] ?? { username: info.user, password: info.password, address: info.address, maildir: info.maildir };
  const second = info.users[1] ?? user;

  // Plain port: greeting, EHLO, relay and unknown recipients, syntax errors.
  {
    const { dialogue: d, greeting } = await Dialogue.open(info, 'smtp');
    record('greeting', 'The 220 greeting', 'smtp', 'greeting', '(connect)', greeting);
    record('ehlo-plain-port', 'EHLO on the port-25 style listener: STARTTLS offered, no AUTH', 'smtp', 'ehlo', 'EHLO capture.postbote.test', await d.command('EHLO capture.postbote.test'));
    record('unknown-command', 'A command the server does not know', 'smtp', 'mail', 'FROB', await d.command('FROB'));
    record('mail-bad-syntax', 'MAIL FROM with a malformed address', 'smtp', 'mail', 'MAIL FROM:<not an address>', await d.command('MAIL FROM:<not an address>'));
    record('mail-ok', 'MAIL FROM accepted', 'smtp', 'mail', `MAIL FROM:<${user.address}>`, await d.command(`MAIL FROM:<${user.address}>`));
    record('rcpt-bad-syntax', 'RCPT TO with a malformed address', 'smtp', 'rcpt', 'RCPT TO:<a b@c>', await d.command('RCPT TO:<a b@c>'));
    record('relay-denied-unauthenticated', 'Recipient in a foreign domain, not authenticated', 'smtp', 'rcpt', `RCPT TO:<${info.relayRecipient}>`, await d.command(`RCPT TO:<${info.relayRecipient}>`));
    record('unknown-recipient', 'Recipient in the server\'s own domain that does not exist', 'smtp', 'rcpt', `RCPT TO:<${info.unknownRecipient}>`, await d.command(`RCPT TO:<${info.unknownRecipient}>`));
    record('data-no-valid-recipients', 'DATA after every recipient was refused', 'smtp', 'data', 'DATA', await d.command('DATA'));
    record('rset', 'RSET', 'smtp', 'mail', 'RSET', await d.command('RSET'));
    record('vrfy', 'VRFY of an existing mailbox', 'smtp', 'mail', `VRFY ${user.address}`, await d.command(`VRFY ${user.address}`));
    record('noop', 'NOOP', 'smtp', 'mail', 'NOOP', await d.command('NOOP'));
    record('quit', 'QUIT', 'smtp', 'quit', 'QUIT', await d.command('QUIT'));
    d.close();
  }

  // Submission before TLS: nothing but STARTTLS helps.
  {
    const { dialogue: d } = await Dialogue.open(info, 'submission');
    record('ehlo-submission-before-tls', 'EHLO on submission before STARTTLS: no AUTH offered yet', 'submission', 'ehlo', 'EHLO capture.postbote.test', await d.command('EHLO capture.postbote.test'));
    record('auth-before-starttls', 'AUTH before STARTTLS on a port that only authenticates over TLS', 'submission', 'auth', 'AUTH PLAIN <redacted>', await d.command(`AUTH PLAIN ${b64(`\0${user.username}\0${user.password}`)}`));
    record('mail-before-starttls', 'MAIL before STARTTLS on a port that requires TLS', 'submission', 'mail', `MAIL FROM:<${user.address}>`, await d.command(`MAIL FROM:<${user.address}>`));
    record('starttls-ready', 'STARTTLS accepted', 'submission', 'starttls', 'STARTTLS', await d.startTls());
    record('ehlo-submission-after-tls', 'EHLO after STARTTLS: AUTH mechanisms and SIZE', 'submission', 'ehlo', 'EHLO capture.postbote.test', await d.command('EHLO capture.postbote.test'));
    record('mail-without-auth', 'MAIL before AUTH on submission', 'submission', 'mail', `MAIL FROM:<${user.address}>`, await d.command(`MAIL FROM:<${user.address}>`));
    record('auth-wrong-password-plain', 'AUTH PLAIN, existing user, wrong password', 'submission', 'auth', 'AUTH PLAIN <redacted>', await d.command(`AUTH PLAIN ${b64(`\0${user.username}\0wrong-${user.password}`)}`));
    record('auth-unknown-user-plain', 'AUTH PLAIN, user that does not exist', 'submission', 'auth', 'AUTH PLAIN <redacted>', await d.command(`AUTH PLAIN ${b64(`\0nobody@${info.domain}\0whatever`)}`));
    const loginUser = await d.command('AUTH LOGIN');
    record('auth-login-username-challenge', 'AUTH LOGIN: the username challenge', 'submission', 'auth', 'AUTH LOGIN', loginUser);
    record('auth-login-password-challenge', 'AUTH LOGIN: the password challenge', 'submission', 'auth', '<redacted username>', await d.command(b64(user.username)));
    record('auth-wrong-password-login', 'AUTH LOGIN, existing user, wrong password', 'submission', 'auth', '<redacted password>', await d.command(b64(`wrong-${user.password}`)));
    const cram = await d.command('AUTH CRAM-MD5');
    record('auth-cram-md5-challenge', 'AUTH CRAM-MD5: the challenge (changes every time)', 'submission', 'auth', 'AUTH CRAM-MD5', cram);
    const challenge = Buffer.from(cram.text, 'base64').toString('latin1');
    const digest = createHmac('md5', `wrong-${user.password}`).update(challenge).digest('hex');
    record('auth-wrong-password-cram-md5', 'AUTH CRAM-MD5, existing user, wrong password', 'submission', 'auth', '<redacted response>', await d.command(b64(`${user.username} ${digest}`)));
    record('auth-cancelled', 'AUTH LOGIN cancelled by the client with "*"', 'submission', 'auth', 'AUTH LOGIN / *', await (async () => { await d.command('AUTH LOGIN'); return d.command('*'); })());
    record('auth-unsupported-mechanism', 'AUTH with a mechanism the server does not offer', 'submission', 'auth', 'AUTH XOAUTH2 <redacted>', await d.command(`AUTH XOAUTH2 ${b64(`user=${user.username}\x01auth=Bearer token\x01\x01`)}`));
    record('auth-ok', 'AUTH PLAIN accepted', 'submission', 'auth', 'AUTH PLAIN <redacted>', await d.command(`AUTH PLAIN ${b64(`\0${user.username}\0${user.password}`)}`));
    record('auth-twice', 'AUTH again after a successful AUTH', 'submission', 'auth', 'AUTH PLAIN <redacted>', await d.command(`AUTH PLAIN ${b64(`\0${user.username}\0${user.password}`)}`));
    record('mail-size-too-large', 'MAIL FROM with SIZE= above message_size_limit', 'submission', 'mail', `MAIL FROM:<${user.address}> SIZE=${info.sizeLimit + 1}`, await d.command(`MAIL FROM:<${user.address}> SIZE=${info.sizeLimit + 1}`));
    record('mail-with-size-ok', 'MAIL FROM with an acceptable SIZE=', 'submission', 'mail', `MAIL FROM:<${user.address}> SIZE=1000`, await d.command(`MAIL FROM:<${user.address}> SIZE=1000`));
    record('relay-denied-authenticated', 'Recipient in a foreign domain, authenticated (this server relays for nobody)', 'submission', 'rcpt', `RCPT TO:<${info.relayRecipient}>`, await d.command(`RCPT TO:<${info.relayRecipient}>`));
    record('unknown-recipient-authenticated', 'Unknown recipient in the server\'s own domain, authenticated', 'submission', 'rcpt', `RCPT TO:<${info.unknownRecipient}>`, await d.command(`RCPT TO:<${info.unknownRecipient}>`));
    record('rcpt-ok', 'RCPT TO accepted', 'submission', 'rcpt', `RCPT TO:<${second.address}>`, await d.command(`RCPT TO:<${second.address}>`));
    record('data-go-ahead', 'DATA accepted: send the body', 'submission', 'data', 'DATA', await d.command('DATA'));
    const line = `${'x'.repeat(998)}\r\n`;
    const lines = Math.ceil((info.sizeLimit + 1024) / line.length);
    d.write(`Subject: too large (capture-postfix-replies)\r\n\r\n`);
    for (let i = 0; i < lines; i += 1000) d.write(line.repeat(Math.min(1000, lines - i)));
    record('data-too-large', 'End of data after a body above message_size_limit (no SIZE= given)', 'submission', 'data', '<body> .', await d.command('.'));
    await d.command('RSET');
    await d.command(`MAIL FROM:<${user.address}>`);
    await d.command(`RCPT TO:<${second.address}>`);
    await d.command('DATA');
    d.write(`From: <${user.address}>\r\nTo: <${second.address}>\r\nSubject: capture-postfix-replies\r\n\r\nCaptured reply test.\r\n`);
    record('data-queued', 'End of data accepted: the queue id is in the text', 'submission', 'data', '<body> .', await d.command('.'));
    d.close();
  }

  // Implicit TLS: greeting and EHLO once TLS is up from the first byte.
  {
    const { dialogue: d, greeting } = await Dialogue.open(info, 'submissions');
    record('greeting-implicit-tls', 'The 220 greeting over implicit TLS', 'submissions', 'greeting', '(connect)', greeting);
    record('ehlo-submissions', 'EHLO over implicit TLS', 'submissions', 'ehlo', 'EHLO capture.postbote.test', await d.command('EHLO capture.postbote.test'));
    record('starttls-under-tls', 'STARTTLS when TLS is already active', 'submissions', 'starttls', 'STARTTLS', await d.command('STARTTLS'));
    d.close();
  }
  return out;
}

async function main(): Promise<void> {
  const info = await loadPostfixInfo();
  if (!info) {
    console.error(postfixUnavailableReason());
    process.exit(2);
  }
  const target = resolve(process.argv[2] ?? 'main/testing/fixtures/postfix-replies.json');
  const replies = await capture(info);
  const fixture = {
    about: 'Real replies of Postfix with Dovecot SASL (scripts/test-servers/postfix-dovecot.sh), captured by scripts/test-servers/capture-postfix-replies.ts. '
      + '"text" is the reply without code and enhanced status code, lines joined by "\\n"; "lines" are verbatim. Queue ids and CRAM-MD5 challenges change per run.',
    server: { postfix: info.postfixVersion, dovecot: info.dovecotVersion, serverName: info.serverName, sizeLimit: info.sizeLimit, domain: info.domain },
    replies,
  };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${replies.length} replies written to ${target}`);
  // The one message the capture delivered is of no further use: leave the mailbox as it was.
  const marker = 'Subject: capture-postfix-replies\r\n';
  removeDelivered(await waitForDelivery(info, (m) => m.original.includes(marker), 5000).catch(() => []));
}

await main();
