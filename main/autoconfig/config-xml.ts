/**
 * Reads Thunderbird's autoconfig format (config-v1.1.xml) — the files providers serve at
 * autoconfig.<domain>, the online ISP database, and the corpus the offline table is
 * built from. Only what sending needs is kept: the outgoing (SMTP) servers, in order.
 */
import type { AuthMechanism, Security } from '../../shared/domain.js';
import { childElements, childText, parseXml, textOf, type XmlElement } from './xml.js';

export type SocketType = 'SSL' | 'STARTTLS' | 'plain';
/** The authentication values of the format that matter for SMTP. */
export type AutoconfigAuth = 'password-cleartext' | 'password-encrypted' | 'OAuth2' | 'none';

export interface OutgoingServer {
  hostname: string;
  port: number;
  socketType: SocketType;
  /** A user-name template with %EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%. */
  username: string;
  /** Known authentication values, in file order (unknown ones are dropped). */
  authentication: AutoconfigAuth[];
}

export interface AutoconfigDocument {
  providerId: string;
  displayName: string;
  domains: string[];
  outgoing: OutgoingServer[];
  documentationUrl?: string;
  /** Where the provider says access must first be switched on (<enable visiturl>). */
  enableUrl?: string;
}

export type ConfigParseResult = { ok: true; doc: AutoconfigDocument } | { ok: false; message: string };

const socketTypes: Record<string, SocketType> = { ssl: 'SSL', tls: 'SSL', starttls: 'STARTTLS', plain: 'plain' };
const authValues = new Set<AutoconfigAuth>(['password-cleartext', 'password-encrypted', 'OAuth2', 'none']);
const hostnamePattern = /^(%EMAILDOMAIN%|[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)(\.(%EMAILDOMAIN%|[A-Za-z0-9]([A-Za-z0-9-]{0,62})?))*\.?$/;

/** Some files write "%EMAILADDRESS" without the closing percent sign; accept that one slip. */
const normaliseUsername = (u: string): string => u.replace(/%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)(?!%)/g, '%$1%');

export function parseAutoconfigXml(text: string): ConfigParseResult {
  const parsed = parseXml(text, { maxLength: 512 * 1024 });
  if (!parsed.ok) {
    const e = parsed.error;
    return { ok: false, message: `malformed XML at line ${e.line}, column ${e.column}: ${e.message}` };
  }
  const root = parsed.root;
  if (root.name !== 'clientConfig') return { ok: false, message: `root element is <${root.name}>, expected <clientConfig>` };
  const provider = childElements(root, 'emailProvider')[0];
  if (!provider) return { ok: false, message: 'no <emailProvider> element' };

  const domains = [...new Set(childElements(provider, 'domain').map((d) => textOf(d).toLowerCase()).filter((d) => d.length > 0))];
  const outgoing: OutgoingServer[] = [];
  const problems: string[] = [];
  for (const [i, el] of childElements(provider, 'outgoingServer').entries()) {
    const r = readOutgoing(el);
    if (typeof r === 'string') problems.push(`outgoingServer #${i + 1}: ${r}`);
    else outgoing.push(r);
  }
  if (outgoing.length === 0) {
    return { ok: false, message: problems.length > 0 ? problems.join('; ') : 'the file names no outgoing (SMTP) server' };
  }
  const documentationUrl = childElements(provider, 'documentation')[0]?.attrs['url'];
  const enableUrl = childElements(provider, 'enable')[0]?.attrs['visiturl'];
  return {
    ok: true,
    doc: {
      providerId: provider.attrs['id'] ?? domains[0] ?? '',
      displayName: childText(provider, 'displayName') ?? provider.attrs['id'] ?? '',
      domains,
      outgoing,
      ...(documentationUrl ? { documentationUrl } : {}),
      ...(enableUrl ? { enableUrl } : {}),
    },
  };
}

function readOutgoing(el: XmlElement): OutgoingServer | string {
  const type = el.attrs['type'];
  if (type !== undefined && type !== 'smtp') return `type "${type}" is not smtp`;
  const hostname = childText(el, 'hostname');
  if (!hostname) return 'no hostname';
  if (!hostnamePattern.test(hostname) || hostname.length > 253) return `invalid hostname "${hostname}"`;
  const portText = childText(el, 'port') ?? '';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return `invalid port "${portText}"`;
  const socketText = childText(el, 'socketType') ?? '';
  const socketType = socketTypes[socketText.toLowerCase()];
  if (!socketType) return `unknown socketType "${socketText}"`;
  const authentication = childElements(el, 'authentication')
    .map((a) => textOf(a))
    .filter((a): a is AutoconfigAuth => authValues.has(a as AutoconfigAuth));
  return {
    hostname: hostname.toLowerCase().replace(/\.$/, '').replace(/%emaildomain%/g, '%EMAILDOMAIN%'),
    port,
    socketType,
    username: normaliseUsername(childText(el, 'username') ?? '%EMAILADDRESS%'),
    authentication,
  };
}

export const securityOf = (s: SocketType): Security => (s === 'SSL' ? 'tls' : s === 'STARTTLS' ? 'starttls' : 'none');

/** The SASL mechanisms each autoconfig authentication value stands for. */
export function mechanismsFor(auth: readonly AutoconfigAuth[]): AuthMechanism[] {
  const out = new Set<AuthMechanism>();
  for (const a of auth) {
    if (a === 'password-cleartext') { out.add('PLAIN'); out.add('LOGIN'); }
    if (a === 'password-encrypted') { out.add('SCRAM-SHA-256'); out.add('CRAM-MD5'); }
    if (a === 'OAuth2') { out.add('XOAUTH2'); out.add('OAUTHBEARER'); }
  }
  // No known value at all means the file did not say: assume ordinary password login.
  if (auth.length === 0) { out.add('PLAIN'); out.add('LOGIN'); }
  return [...out];
}

export interface AddressParts {
  address: string;
  localPart: string;
  domain: string;
}

/** Fills the placeholders of a user-name or host-name template for one address. */
export const fillTemplate = (template: string, a: AddressParts): string =>
  template
    .replace(/%EMAILADDRESS%/g, a.address)
    .replace(/%EMAILLOCALPART%/g, a.localPart)
    .replace(/%EMAILDOMAIN%/g, a.domain);
