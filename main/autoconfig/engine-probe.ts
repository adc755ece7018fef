/**
 * Discovery's prober and the account set-up connection test, both on our own SMTP engine.
 * The prober says EHLO and leaves (no credentials); the connection test also
 * authenticates, then QUITs without sending anything.
 */
import type { SmtpSettings, Security } from '../../shared/domain.js';
import type { AppError, FailureDetail } from '../../shared/errors.js';
import { SmtpSession, isSmtpError, probe as engineProbe } from '../smtp/index.js';
import type { SmtpCapabilities, SmtpConnectOptions, SmtpTimeouts, TlsInfo, TranscriptEntry } from '../smtp/index.js';
import type { Probe, ProbeOutcome } from './discover.js';

export interface EngineProbeOptions {
  /** Extra trusted CA (PEM), added to the system store (tests, company servers). */
  extraCaPem?: string;
  /** Standard port → port actually dialled (tests run servers on free ports). */
  portMap?: Readonly<Record<number, number>>;
  /** Host name → address actually dialled; the certificate is still checked against the host name. */
  connectAddress?: (host: string) => string | undefined;
  timeouts?: Partial<SmtpTimeouts>;
  clientName?: string;
}

function connectOptions(host: string, port: number, security: Security, o: EngineProbeOptions, signal?: AbortSignal): SmtpConnectOptions {
  const address = o.connectAddress?.(host);
  return {
    host: address ?? host,
    ...(address && address !== host ? { servername: host } : {}),
    port: o.portMap?.[port] ?? port,
    security,
    ...(o.extraCaPem ? { extraCaPem: o.extraCaPem } : {}),
    ...(o.clientName ? { clientName: o.clientName } : {}),
    timeouts: { connect: 4000, tlsHandshake: 4000, greeting: 5000, command: 5000, ...o.timeouts },
    ...(signal ? { signal } : {}),
  };
}

const certificateCode = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/;

function detailOf(e: unknown, phase: FailureDetail['phase'] = 'connect'): FailureDetail {
  if (isSmtpError(e)) return e.detail;
  const code = e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return { phase, cause: 'internal', message: e instanceof Error ? e.message : String(e), ...(code ? { systemCode: code } : {}) };
}

/** Sorts an engine failure into the few outcomes discovery distinguishes. */
export function classifyProbeFailure(detail: FailureDetail): Extract<ProbeOutcome, { ok: false }>['reason'] {
  const code = detail.systemCode ?? '';
  if (detail.cause === 'cancelled') return 'cancelled';
  if (detail.cause === 'timeout') return 'timeout';
  if (certificateCode.test(code) || (detail.cause === 'tls' && /certificate/i.test(detail.message))) return 'certificate';
  if (detail.cause === 'security' || (detail.phase === 'starttls' && detail.cause !== 'network')) return 'noTls';
  if (code === 'ECONNREFUSED') return 'refused';
  if (detail.cause === 'network' || /^E[A-Z]+$/.test(code)) return 'unreachable';
  return 'protocol';
}

/** A discovery prober on the engine: connect, TLS, EHLO, QUIT. */
export function createEngineProber(o: EngineProbeOptions = {}): Probe {
  return async (host, port, security, signal) => {
    try {
      const info = await engineProbe(connectOptions(host, port, security, o, signal));
      return {
        ok: true,
        tls: info.tls !== null,
        authMechanisms: info.capabilities.authMechanisms,
        ...(info.capabilities.size !== undefined ? { size: info.capabilities.size } : {}),
        serverName: info.capabilities.serverName,
      };
    } catch (e) {
      const detail = detailOf(e);
      return { ok: false, reason: classifyProbeFailure(detail), message: detail.message };
    }
  };
}

export interface ConnectionTestSuccess {
  ok: true;
  capabilities: SmtpCapabilities;
  tls: TlsInfo | null;
  /** The SASL mechanism that was used (null when the settings name no user). */
  authMechanism: string | null;
  timings: Record<string, number>;
  transcript: TranscriptEntry[];
}
export interface ConnectionTestFailure {
  ok: false;
  error: AppError;
  transcript: TranscriptEntry[];
}
export type ConnectionTestResult = ConnectionTestSuccess | ConnectionTestFailure;

/**
 * Proves settings before an account is saved: connect, TLS (implicit or STARTTLS), EHLO,
 * AUTH with the password, QUIT. No message is sent. Never throws: a failure comes back as
 * an AppError whose detail the error explainer turns into words.
 */
export async function testConnection(
  settings: SmtpSettings, password: string, o: EngineProbeOptions & { signal?: AbortSignal } = {},
): Promise<ConnectionTestResult> {
  const transcript: TranscriptEntry[] = [];
  const opts: SmtpConnectOptions = {
    ...connectOptions(settings.host, settings.port, settings.security, { ...o, extraCaPem: settings.extraCaPem ?? o.extraCaPem }, o.signal),
    ...(settings.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
    onTranscript: (entry) => transcript.push(entry),
  };
  let session: SmtpSession | undefined;
  try {
    session = await SmtpSession.open(opts);
    if (settings.username !== undefined) {
      await session.authenticate({ username: settings.username, password },
        settings.authMechanism ? { mechanism: settings.authMechanism } : {});
    }
    const info = session.info;
    await session.quit();
    return { ok: true, capabilities: info.capabilities, tls: info.tls, authMechanism: info.authMechanism, timings: info.timings, transcript };
  } catch (e) {
    session?.close();
    const detail = detailOf(e);
    const retryable = ['timeout', 'network'].includes(detail.cause) || (detail.code !== undefined && detail.code >= 400 && detail.code < 500);
    return {
      ok: false,
      error: {
        kind: 'connectionTest',
        messageKey: 'autoconfig.test.failed',
        params: { host: settings.host, port: settings.port, phase: detail.phase },
        retryable,
        detail: { ...detail, context: { host: settings.host, port: settings.port, security: settings.security, ...detail.context } },
      },
      transcript,
    };
  }
}
