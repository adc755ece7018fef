/**
 * The SMTP client engine's public face. Everything outside main/smtp imports from here.
 */
import { SmtpSession } from './session.js';
import type { AuthMechanism, SendOptions, SendResult, SessionInfo, SmtpConnectOptions, SmtpCredentials } from './types.js';

export { SmtpError, isSmtpError } from './errors.js';
export type { SmtpErrorCause } from './errors.js';
export { SmtpSession, defaultTimeouts, isLoopbackHost, pipelinedBodyLimit, xtext } from './session.js';
export { WarmSession } from './warm.js';
export type { WarmSessionOptions } from './warm.js';
export { ReplyParser, ReplyProtocolError, parseReply, splitEnhancedCode } from './reply-parser.js';
export type { SmtpReply } from './reply-parser.js';
export { parseEhlo } from './capabilities.js';
export { chooseMechanism } from './sasl.js';
export type * from './types.js';

/** Connect, negotiate TLS, EHLO, QUIT: what the server offers, without credentials. */
export async function probe(opts: SmtpConnectOptions): Promise<SessionInfo> {
  const s = await SmtpSession.open(opts);
  try {
    return s.info;
  } finally {
    await s.quit();
  }
}

/** One message over a fresh session: open, authenticate if credentials are given, send, quit. */
export async function sendMail(
  opts: SmtpConnectOptions & { credentials?: SmtpCredentials; mechanism?: AuthMechanism },
  message: SendOptions,
): Promise<SendResult & { session: SessionInfo }> {
  const s = await SmtpSession.open(opts);
  try {
    // AUTH and the transaction together: pipelined where RFC 4954 allows it (see sendAuthenticated).
    const result = opts.credentials ? await s.sendAuthenticated(opts.credentials, message, opts.mechanism ? { mechanism: opts.mechanism } : {}) : await s.send(message);
    const info = s.info;
    // The message is delivered once the final reply is in: the person need not wait for QUIT.
    void s.quit();
    return { ...result, session: info };
  } catch (e) {
    s.close();
    throw e;
  }
}
