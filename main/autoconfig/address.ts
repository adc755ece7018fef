/**
 * Splits and checks the address a person typed, before anything is looked up. Domains are
 * lower-cased and converted to their ASCII (punycode) form, which is what DNS and the
 * tables use.
 */
import { domainToASCII } from 'node:url';
import type { AddressParts } from './config-xml.js';

export type AddressCheck = { ok: true; parts: AddressParts } | { ok: false; reason: 'empty' | 'noAt' | 'localPart' | 'domain' | 'tooLong' };

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseAddress(input: string): AddressCheck {
  const address = input.trim();
  if (address.length === 0) return { ok: false, reason: 'empty' };
  if (address.length > 320) return { ok: false, reason: 'tooLong' };
  const at = address.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: 'noAt' };
  const localPart = address.slice(0, at);
  const rawDomain = address.slice(at + 1).replace(/\.$/, '');
  // Unquoted local parts only: no spaces, controls, brackets or a second "@".
  if (localPart.length === 0 || localPart.length > 64 || /[\s\u0000-\u001f\u007f<>()[\]\\,;:@"]/.test(localPart)
    || localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    return { ok: false, reason: 'localPart' };
  }
  if (rawDomain.length === 0 || /[\s\u0000-\u001f\u007f]/.test(rawDomain)) return { ok: false, reason: 'domain' };
  const domain = domainToASCII(rawDomain.toLowerCase());
  if (!domain || domain.length > 253) return { ok: false, reason: 'domain' };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, reason: 'domain' };
  }
  return { ok: true, parts: { address: `${localPart}@${domain}`, localPart, domain } };
}

/** "mx01.mail.example.co.uk" → ["mx01.mail.example.co.uk", "mail.example.co.uk", "example.co.uk", "co.uk"]: every suffix with two labels or more. */
export function domainSuffixes(host: string): string[] {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
