/**
 * mailto: links (RFC 6068) turned into what the compose screen pre-fills. Only the fields
 * a person can see are taken (to, cc, bcc, subject, body); any other header in the link is
 * ignored, so a link on a web page cannot set hidden headers.
 */
export interface MailtoFields {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
}

const MAX_FIELD = 65_536;

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, '%2B'));
  } catch {
    return part;
  }
}

const splitAddresses = (value: string): string[] =>
  value.split(',').map((a) => a.trim()).filter((a) => a.length > 0 && a.length <= 1024 && !/[\r\n]/.test(a));

/** Returns undefined for anything that is not a mailto: URL. */
export function parseMailto(url: string): MailtoFields | undefined {
  if (!/^mailto:/i.test(url) || url.length > 8192) return undefined;
  const rest = url.slice('mailto:'.length);
  const q = rest.indexOf('?');
  const fields: MailtoFields = { to: splitAddresses(decode(q === -1 ? rest : rest.slice(0, q))), cc: [], bcc: [], subject: '', body: '' };
  if (q !== -1) {
    for (const pair of rest.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = decode(pair.slice(0, eq)).toLowerCase();
      const value = decode(pair.slice(eq + 1)).slice(0, MAX_FIELD);
      if (name === 'to') fields.to.push(...splitAddresses(value));
      else if (name === 'cc') fields.cc.push(...splitAddresses(value));
      else if (name === 'bcc') fields.bcc.push(...splitAddresses(value));
      // A subject is one line: line breaks in a link become spaces rather than header injection.
      else if (name === 'subject') fields.subject = value.replace(/[\r\n]+/g, ' ');
      else if (name === 'body') fields.body = value.replace(/\r\n?/g, '\n');
    }
  }
  return fields;
}
