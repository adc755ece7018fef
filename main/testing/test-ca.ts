/**
 * A throwaway certificate authority made at test time with the system's openssl, so TLS
 * tests verify real certificates instead of switching verification off.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  keyPem: string;
  certPem: string;
  keyPath: string;
  certPath: string;
}
export interface TestCa {
  dir: string;
  caCertPem: string;
  caCertPath: string;
  /** Issue a server certificate for the given DNS names / IPs (default localhost, 127.0.0.1, ::1); notBefore/notAfter as YYYYMMDDHHMMSSZ. */
  issue(opts?: { names?: string[]; ips?: string[]; days?: number; notBefore?: string; notAfter?: string; commonName?: string }): TestCertificate;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

let serial = 1;

/** Signs <id>.csr with explicit dates (YYYYMMDDHHMMSSZ) through a throwaway `openssl ca` setup. */
function signWithValidity(dir: string, id: string, notBefore: string, notAfter: string): void {
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = test', '[test]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir',
    'certificate = $dir/ca.crt', 'private_key = $dir/ca.key', 'serial = $dir/serial', 'default_md = sha256', 'policy = any', 'unique_subject = no',
    'copy_extensions = none', '[any]', 'commonName = supplied', '',
  ].join('\n'));
  writeFileSync(join(dir, 'serial'), `${(Date.now() + serial).toString(16).padStart(16, '0')}\n`);
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-in', `${id}.csr`, '-out', `${id}.crt`, '-startdate', notBefore, '-enddate', notAfter,
    '-extfile', `${id}.ext`, '-notext'], dir);
}

export function createTestCa(name = 'Postbote Test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'postbote-ca-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const caCertPath = join(dir, 'ca.crt');
  return {
    dir,
    caCertPath,
    caCertPem: readFileSync(caCertPath, 'utf8'),
    issue(opts = {}) {
      const names = opts.names ?? ['localhost'];
      const ips = opts.ips ?? ['127.0.0.1', '::1'];
      const id = `srv${serial++}`;
      const san = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
      writeFileSync(join(dir, `${id}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${opts.commonName ?? names[0] ?? 'localhost'}`], dir);
      if (opts.notBefore && opts.notAfter) {
        // OpenSSL 3.0's `x509 -req` cannot backdate; `openssl ca` can (expired-certificate tests).
        signWithValidity(dir, id, opts.notBefore, opts.notAfter);
      } else {
        openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Date.now() + serial),
          '-days', String(opts.days ?? 2), '-extfile', `${id}.ext`, '-out', `${id}.crt`], dir);
      }
      const keyPath = join(dir, `${id}.key`);
      const certPath = join(dir, `${id}.crt`);
      return { keyPath, certPath, keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
    },
  };
}

/** A self-signed certificate (no CA), for "unknown issuer" scenarios. */
export function createSelfSigned(names = ['localhost']): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'postbote-self-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.crt', '-days', '2',
    '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1`], dir);
  return { keyPath: join(dir, 'self.key'), certPath: join(dir, 'self.crt'), keyPem: readFileSync(join(dir, 'self.key'), 'utf8'), certPem: readFileSync(join(dir, 'self.crt'), 'utf8') };
}
