/**
 * The npm `smtp-server` package, as every test should import it: the same classes, with
 * one crash guard installed first.
 *
 * smtp-server decorates a failed TLS handshake (a client that rejects its certificate, a
 * TLS version mismatch, a reset mid-handshake) with `tlsSocket.getProtocol()`. By then Node
 * may already have freed the socket's SSL object (`_destroySSL` clears `ssl` but leaves the
 * native handle), and on Node 22.23 the call then reads freed memory: the whole test process
 * dies with a segfault, taking every other test in the file with it. The protocol is only
 * decoration of an error the tests ignore, so on a *server-side* TLS socket whose SSL object
 * is gone (or which is destroyed) the guard answers null, as Node itself does for a socket
 * without a handle. Client sockets (our engine under test) are left exactly as Node made them.
 *
 * Import `SMTPServer` from here, never from 'smtp-server' directly.
 */
import { TLSSocket } from 'node:tls';

interface TlsSocketInternals {
  ssl?: unknown;
  destroyed: boolean;
  _tlsOptions?: { isServer?: boolean };
}

const guardMark = Symbol.for('postbote.test.guardedGetProtocol');

/** Idempotent; runs when this module is first imported. */
export function guardServerTlsGetProtocol(): void {
  const proto = TLSSocket.prototype as unknown as Record<symbol, unknown> & { getProtocol: (this: TLSSocket) => string | null };
  if (proto[guardMark] === true) return;
  const original = proto.getProtocol;
  proto.getProtocol = function guardedGetProtocol(this: TLSSocket): string | null {
    const self = this as unknown as TlsSocketInternals;
    if (self._tlsOptions?.isServer === true && (self.destroyed || self.ssl == null)) return null;
    return original.call(this);
  };
  proto[guardMark] = true;
}

guardServerTlsGetProtocol();

export { SMTPServer } from 'smtp-server';
export type * from 'smtp-server';
