/**
 * RFC 5322 address lists as people type them, and addr-spec validation (RFC 5321 limits,
 * RFC 6531/6532 internationalised addresses).
 *
 * Pure code: it runs in the renderer (address chips while typing) and in the main process
 * (the composer). No recursion and no backtracking regular expressions: one pass over the
 * characters, one pass over the tokens, so time is linear in the input and hostile input
 * (100k characters, ten thousand nested comments, no "@") finishes in milliseconds.
 * Input longer than MAX_ADDRESS_LIST_LENGTH is refused outright.
 */

/** Longest address-list text we parse (what fits in a To field with ~1000 addresses). */
export const MAX_ADDRESS_LIST_LENGTH = 65_536;
/** Most entries (mailboxes, including group members) one list may hold. */
export const MAX_ADDRESS_LIST_ENTRIES = 1000;
/** RFC 5321 4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
export const MAX_ADDRESS_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_DOMAIN_LENGTH = 253;
export const MAX_DISPLAY_NAME_LENGTH = 256;

/** Catalogue keys for what can be wrong with an address (shared/i18n). */
export type AddressIssueKey =
  | 'address.empty'
  | 'address.missingAt'
  | 'address.missingLocalPart'
  | 'address.missingDomain'
  | 'address.badLocalPart'
  | 'address.localPartTooLong'
  | 'address.badDomain'
  | 'address.domainTooLong'
  | 'address.tooLong'
  | 'address.unclosedQuote'
  | 'address.unclosedComment'
  | 'address.unclosedAngle'
  | 'address.unexpectedText'
  | 'address.nameTooLong'
  | 'address.listTooLong'
  | 'address.tooManyAddresses';

/** Why an address is wrong: a catalogue key plus parameters that name the address and the reason. */
export interface AddressIssue {
  key: AddressIssueKey;
  params: { address: string; reason?: string; char?: string; max?: number };
}

/** A valid addr-spec, split and normalised. */
export interface ValidAddress {
  /** The local part as written (unquoted where quoting was unnecessary). */
  local: string;
  /** The domain as written (may contain Unicode), or a domain literal "[…]". */
  domain: string;
  /** The domain in ASCII: punycode A-labels, lower case. Use this on the wire. */
  asciiDomain: string;
  /** local@domain, for display. */
  address: string;
  /** local@asciiDomain: what goes into MAIL FROM / RCPT TO and headers. */
  ascii: string;
  /** The local part has non-ASCII characters: the server must offer SMTPUTF8 (RFC 6531). */
  needsSmtpUtf8: boolean;
}

export type AddressValidation = { ok: true; value: ValidAddress } | { ok: false; issue: AddressIssue };

/** One mailbox of a parsed list, with its place in the typed text (for chips). */
export interface ParsedMailbox {
  kind: 'mailbox';
  name?: string;
  /** The addr-spec as typed (quotes kept where they are needed). */
  address: string;
  start: number;
  end: number;
  /** Present when the mailbox is valid. */
  valid?: ValidAddress;
  /** Present when something is wrong with it: say precisely what. */
  issue?: AddressIssue;
}

export interface ParsedGroup {
  kind: 'group';
  name: string;
  members: ParsedMailbox[];
  start: number;
  end: number;
  issue?: AddressIssue;
}

export type ParsedAddress = ParsedMailbox | ParsedGroup;

export interface ParsedAddressList {
  entries: ParsedAddress[];
  /** Every problem found, in order (mailbox issues included). Empty = all valid. */
  issues: AddressIssue[];
  /** All mailboxes, with group members flattened (what the envelope needs). */
  mailboxes: ParsedMailbox[];
  ok: boolean;
}

// ---------------------------------------------------------------------------------------
// Character classes

const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** RFC 5322 atext, extended by RFC 6532 to every non-ASCII character. */
const isAtext = (ch: string): boolean => {
  const c = ch.codePointAt(0) ?? 0;
  if (c >= 0x80) return !isForbiddenNonAscii(c);
  return isAlnum(c) || ATEXT_SPECIALS.includes(ch);
};
/** C1 controls, line/paragraph separators and BOM have no place in an address. */
const isForbiddenNonAscii = (c: number): boolean => (c >= 0x80 && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff;
const hasNonAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
};
const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
};

// ---------------------------------------------------------------------------------------
// validateAddress

const issue = (key: AddressIssueKey, address: string, extra: Omit<AddressIssue['params'], 'address'> = {}): AddressValidation => ({
  ok: false,
  issue: { key, params: { address, ...extra } },
});

/**
 * Validates one addr-spec ("local@domain", no display name, no angle brackets) and says
 * precisely what is wrong. Converts an internationalised domain to punycode with the
 * WHATWG URL parser (UTS #46), present in browsers and Node alike.
 */
export function validateAddress(input: string): AddressValidation {
  const address = input.trim();
  if (address.length === 0) return issue('address.empty', input);
  if (address.length > MAX_ADDRESS_LENGTH * 4) return issue('address.tooLong', address.slice(0, 64) + '…', { max: MAX_ADDRESS_LENGTH });

  // Find the @ that separates local part and domain: after a quoted local part, or the last one.
  let at: number;
  let local: string;
  if (address.startsWith('"')) {
    let i = 1;
    let closed = false;
    for (; i < address.length; i++) {
      const ch = address[i];
      if (ch === '\\') i++;
      else if (ch === '"') {
        closed = true;
        break;
      }
    }
    if (!closed) return issue('address.unclosedQuote', address);
    if (address[i + 1] !== '@') return i + 1 >= address.length ? issue('address.missingAt', address) : issue('address.badLocalPart', address, { reason: 'textAfterQuote' });
    at = i + 1;
    const quoted = address.slice(0, at);
    const content = unquote(quoted);
    for (const ch of content) {
      const c = ch.codePointAt(0) ?? 0;
      if (c < 0x20 || c === 0x7f || isForbiddenNonAscii(c)) return issue('address.badLocalPart', address, { reason: 'char', char: describeChar(ch) });
    }
    // A quoted local part that is a plain dot-atom needs no quotes.
    local = isDotAtom(content) ? content : quoteIfNeeded(content);
  } else {
    at = address.lastIndexOf('@');
    if (at < 0) return issue('address.missingAt', address);
    local = address.slice(0, at);
    if (local.length === 0) return issue('address.missingLocalPart', address);
    if (local.startsWith('.') || local.endsWith('.')) return issue('address.badLocalPart', address, { reason: 'dotAtEdge' });
    if (local.includes('..')) return issue('address.badLocalPart', address, { reason: 'doubleDot' });
    for (const ch of local) {
      if (ch !== '.' && !isAtext(ch)) return issue('address.badLocalPart', address, { reason: 'char', char: describeChar(ch) });
    }
  }
  if (local.length === 0) return issue('address.missingLocalPart', address);
  if (utf8Length(local) > MAX_LOCAL_PART_LENGTH) return issue('address.localPartTooLong', address, { max: MAX_LOCAL_PART_LENGTH });

  const domain = address.slice(at + 1);
  const d = validateDomain(domain, address);
  if (!d.ok) return d;
  const ascii = `${local}@${d.asciiDomain}`;
  if (utf8Length(ascii) > MAX_ADDRESS_LENGTH) return issue('address.tooLong', address, { max: MAX_ADDRESS_LENGTH });
  return {
    ok: true,
    value: { local, domain, asciiDomain: d.asciiDomain, address: `${local}@${domain}`, ascii, needsSmtpUtf8: hasNonAscii(local) },
  };
}

type DomainCheck = { ok: true; asciiDomain: string } | { ok: false; issue: AddressIssue };

function validateDomain(domain: string, address: string): DomainCheck {
  const bad = (reason: string, char?: string): DomainCheck => ({
    ok: false,
    issue: { key: 'address.badDomain', params: char === undefined ? { address, reason } : { address, reason, char } },
  });
  if (domain.length === 0) return { ok: false, issue: { key: 'address.missingDomain', params: { address } } };
  if (domain.startsWith('[')) return validateDomainLiteral(domain, address);
  if (domain.length > MAX_DOMAIN_LENGTH * 4) return { ok: false, issue: { key: 'address.domainTooLong', params: { address, max: MAX_DOMAIN_LENGTH } } };
  for (const ch of domain) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) {
      if (!(isAlnum(c) || ch === '-' || ch === '.')) return bad(ch === '@' ? 'secondAt' : 'char', describeChar(ch));
    } else if (isForbiddenNonAscii(c) || (c >= 0x2000 && c <= 0x200f) || c === 0x3000) return bad('char', describeChar(ch));
  }
  let ascii: string;
  if (hasNonAscii(domain)) {
    try {
      ascii = toAsciiDomain(domain);
    } catch {
      return bad('idna');
    }
  } else ascii = domain.toLowerCase();
  if (ascii.length > MAX_DOMAIN_LENGTH) return { ok: false, issue: { key: 'address.domainTooLong', params: { address, max: MAX_DOMAIN_LENGTH } } };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return bad('emptyLabel');
    if (label.length > 63) return bad('labelTooLong');
    if (label.startsWith('-') || label.endsWith('-')) return bad('hyphenAtEdge');
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (!(isAlnum(c) || c === 45)) return bad('char', describeChar(label[i] ?? ''));
    }
  }
  if (labels.length < 2 && ascii !== 'localhost') return bad('noDot');
  const tld = labels[labels.length - 1] ?? '';
  if (/^[0-9]+$/.test(tld)) return bad('numericTld');
  return { ok: true, asciiDomain: ascii };
}

function validateDomainLiteral(domain: string, address: string): DomainCheck {
  const bad: DomainCheck = { ok: false, issue: { key: 'address.badDomain', params: { address, reason: 'literal' } } };
  if (!domain.endsWith(']')) return bad;
  const inner = domain.slice(1, -1);
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(inner)) return { ok: true, asciiDomain: domain };
  if (/^IPv6:[0-9A-Fa-f:.]{2,45}$/i.test(inner) && inner.slice(5).includes(':')) return { ok: true, asciiDomain: `[IPv6:${inner.slice(5).toLowerCase()}]` };
  return bad;
}

/**
 * An internationalised domain in ASCII (punycode A-labels, lower case), via the WHATWG URL
 * parser. Throws on a domain that IDNA refuses.
 */
export function toAsciiDomain(domain: string): string {
  if (/[\x00-\x2c/\x3a-\x40\x5b-\x60\x7b-\x7f]/.test(domain)) throw new TypeError('not a domain name');
  const host = new URL(`http://${domain}`).hostname;
  if (!/^[a-z0-9.-]+$/.test(host)) throw new TypeError('not a domain name');
  return host;
}

function describeChar(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || ch === ' ' || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x2000 && c <= 0x200f))
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch;
}

function isDotAtom(s: string): boolean {
  if (s.length === 0 || s.startsWith('.') || s.endsWith('.') || s.includes('..')) return false;
  for (const ch of s) if (ch !== '.' && !isAtext(ch)) return false;
  return true;
}

function unquote(quoted: string): string {
  let out = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    const ch = quoted[i] ?? '';
    if (ch === '\\' && i + 1 < quoted.length - 1) {
      out += quoted[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

function quoteIfNeeded(s: string): string {
  return isDotAtom(s) ? s : `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

// ---------------------------------------------------------------------------------------
// Tokenizer

type TokenType = 'atom' | 'quoted' | 'comment' | 'literal' | 'ws' | '<' | '>' | ',' | ';' | ':' | '@';
interface Token {
  type: TokenType;
  /** Raw text as typed. */
  raw: string;
  /** Meaning: unquoted content for quoted strings and comments. */
  value: string;
  start: number;
  end: number;
  unclosed?: boolean;
}

const SINGLE: Record<string, TokenType> = { '<': '<', '>': '>', ',': ',', ';': ';', ':': ':', '@': '@' };
const isWs = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const ch = input[i] ?? '';
    const c = input.charCodeAt(i);
    if (isWs(c)) {
      while (i < n && isWs(input.charCodeAt(i))) i++;
      tokens.push({ type: 'ws', raw: input.slice(start, i), value: ' ', start, end: i });
    } else if (ch === '"') {
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const x = input[i] ?? '';
        if (x === '\\' && i + 1 < n) {
          value += input[i + 1];
          i += 2;
        } else if (x === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += x;
          i++;
        }
      }
      tokens.push({ type: 'quoted', raw: input.slice(start, i), value, start, end: i, unclosed: !closed });
    } else if (ch === '(') {
      // Nested comments by a depth counter, never by recursion.
      let depth = 0;
      let value = '';
      while (i < n) {
        const x = input[i] ?? '';
        if (x === '\\' && i + 1 < n) {
          value += input[i + 1];
          i += 2;
          continue;
        }
        if (x === '(') {
          if (depth > 0) value += x;
          depth++;
        } else if (x === ')') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
          value += x;
        } else value += x;
        i++;
      }
      tokens.push({ type: 'comment', raw: input.slice(start, i), value: value.trim(), start, end: i, unclosed: depth > 0 });
    } else if (ch === '[') {
      while (i < n && input[i] !== ']') i++;
      const closed = i < n;
      if (closed) i++;
      tokens.push({ type: 'literal', raw: input.slice(start, i), value: input.slice(start, i), start, end: i, unclosed: !closed });
    } else if (SINGLE[ch] !== undefined) {
      i++;
      tokens.push({ type: SINGLE[ch] ?? 'atom', raw: ch, value: ch, start, end: i });
    } else {
      while (i < n) {
        const x = input[i] ?? '';
        const xc = input.charCodeAt(i);
        if (isWs(xc) || x === '"' || x === '(' || x === '[' || SINGLE[x] !== undefined) break;
        i++;
      }
      tokens.push({ type: 'atom', raw: input.slice(start, i), value: input.slice(start, i), start, end: i });
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------
// Parser

/**
 * Parses an address list as people type it: "Name <a@b.example>, c@d.example;
 * "Last, First" <e@f.example>", groups ("Team: a@b.example, c@d.example;"), comments,
 * ";" or "," as separators, and addresses separated by spaces only. Every mailbox is
 * validated; problems are reported per mailbox with its position in the text.
 */
export function parseAddressList(input: string): ParsedAddressList {
  if (input.length > MAX_ADDRESS_LIST_LENGTH) {
    const tooLong: AddressIssue = { key: 'address.listTooLong', params: { address: input.slice(0, 40) + '…', max: MAX_ADDRESS_LIST_LENGTH } };
    return { entries: [], issues: [tooLong], mailboxes: [], ok: false };
  }
  const tokens = tokenize(input);
  const entries: ParsedAddress[] = [];
  let group: ParsedGroup | null = null;
  let current: Token[] = [];
  /** current holds an "@" or "<" (kept as a flag: scanning current at each ":" would be quadratic). */
  let currentHasAddress = false;
  let angleOpen = false;
  let mailboxCount = 0;
  let overflow = false;

  const emit = (boxes: ParsedMailbox[]): void => {
    for (const box of boxes) {
      mailboxCount++;
      if (mailboxCount > MAX_ADDRESS_LIST_ENTRIES) {
        overflow = true;
        return;
      }
      if (group) group.members.push(box);
      else entries.push(box);
    }
  };
  const flush = (): void => {
    if (current.length > 0) emit(buildMailboxes(current));
    current = [];
    currentHasAddress = false;
    angleOpen = false;
  };

  for (const tok of tokens) {
    if (overflow) break;
    if (angleOpen) {
      if (tok.type === '>') {
        current.push(tok);
        angleOpen = false;
        continue;
      }
      // A separator inside an unclosed angle address: the person forgot ">" (or is typing).
      if (tok.type === ',' || tok.type === ';') {
        flush();
        if (tok.type === ';' && group) closeGroup(tok.end);
        continue;
      }
      current.push(tok);
      continue;
    }
    switch (tok.type) {
      case '<':
        angleOpen = true;
        currentHasAddress = true;
        current.push(tok);
        break;
      case ',':
        flush();
        break;
      case ';':
        flush();
        if (group) closeGroup(tok.end);
        break;
      case ':':
        if (!group && !currentHasAddress) {
          const name = phraseText(current);
          group = { kind: 'group', name, members: [], start: current[0]?.start ?? tok.start, end: tok.end };
          current = [];
        } else current.push(tok);
        break;
      default:
        if (tok.type === '@') currentHasAddress = true;
        current.push(tok);
    }
  }
  if (!overflow) {
    flush();
    if (group) closeGroup(input.length);
  }

  function closeGroup(end: number): void {
    if (!group) return;
    group.end = end;
    entries.push(group);
    group = null;
  }

  const mailboxes: ParsedMailbox[] = [];
  const issues: AddressIssue[] = [];
  for (const e of entries) {
    if (e.kind === 'mailbox') mailboxes.push(e);
    else {
      if (e.issue) issues.push(e.issue);
      mailboxes.push(...e.members);
    }
  }
  for (const m of mailboxes) if (m.issue) issues.push(m.issue);
  if (overflow) issues.push({ key: 'address.tooManyAddresses', params: { address: '', max: MAX_ADDRESS_LIST_ENTRIES } });
  return { entries, issues, mailboxes, ok: issues.length === 0 };
}

/** The display-name text of a run of tokens: quoted strings unquoted, whitespace collapsed. */
function phraseText(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'comment') continue;
    if (t.type === 'ws') {
      if (out.length > 0 && !out.endsWith(' ')) out += ' ';
    } else out += t.value;
  }
  return out.trim();
}

/** The addr-spec text of a run of tokens: whitespace and comments dropped, quotes kept. */
function addrSpecText(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) if (t.type !== 'ws' && t.type !== 'comment') out += t.raw;
  return out;
}

function buildMailboxes(tokens: Token[]): ParsedMailbox[] {
  const meaningful = tokens.filter((t) => t.type !== 'ws');
  if (meaningful.length === 0) return [];
  const start = meaningful[0]?.start ?? 0;
  const end = meaningful[meaningful.length - 1]?.end ?? start;
  const commentName = tokens.find((t) => t.type === 'comment' && t.value.length > 0)?.value;
  let structural: AddressIssue | undefined;
  const unclosed = tokens.find((t) => t.unclosed);

  const lt = tokens.findIndex((t) => t.type === '<');
  if (lt >= 0) {
    const gt = tokens.findIndex((t, k) => k > lt && t.type === '>');
    const inner = tokens.slice(lt + 1, gt < 0 ? tokens.length : gt);
    const address = addrSpecText(inner);
    const name = phraseText(tokens.slice(0, lt)) || commentName;
    if (gt < 0) structural = { key: 'address.unclosedAngle', params: { address } };
    else if (tokens.slice(gt + 1).some((t) => t.type !== 'ws' && t.type !== 'comment'))
      structural = { key: 'address.unexpectedText', params: { address, reason: addrSpecText(tokens.slice(gt + 1)) } };
    return [finishMailbox(name, address, start, end, structural ?? unclosedIssue(unclosed, address))];
  }

  // No angle brackets: split into whitespace-separated words (comments separate too).
  const words: Token[][] = [];
  let word: Token[] = [];
  for (const t of tokens) {
    if (t.type === 'ws' || t.type === 'comment') {
      if (word.length > 0) words.push(word);
      word = [];
    } else word.push(t);
  }
  if (word.length > 0) words.push(word);
  const hasAt = words.map((w) => w.some((t) => t.type === '@'));
  // Obsolete syntax puts spaces around "@" and "." ("john . doe @ example.com"): one address.
  const joinsAcrossSpace = words.some((w, k) => (k > 0 && (w[0]?.type === '@' || w[0]?.raw.startsWith('.'))) || (k < words.length - 1 && (w[w.length - 1]?.type === '@' || w[w.length - 1]?.raw.endsWith('.'))));
  if (words.length > 1 && !joinsAcrossSpace) {
    if (hasAt.every(Boolean)) {
      // "a@b.example c@d.example": people separate with spaces, too.
      return words.map((w) => {
        const address = addrSpecText(w);
        return finishMailbox(undefined, address, w[0]?.start ?? start, w[w.length - 1]?.end ?? end, unclosedIssue(w.find((t) => t.unclosed), address));
      });
    }
    const last = words.length - 1;
    if (hasAt[last] === true && hasAt.slice(0, last).every((x) => !x)) {
      // "Jane Doe jane@example.com": a name followed by a bare address.
      const nameTokens = tokens.filter((t) => t.end <= (words[last]?.[0]?.start ?? 0));
      const address = addrSpecText(words[last] ?? []);
      return [finishMailbox(phraseText(nameTokens) || commentName, address, start, end, unclosedIssue(unclosed, address))];
    }
  }
  const address = addrSpecText(tokens);
  return [finishMailbox(commentName, address, start, end, unclosedIssue(unclosed, address))];
}

function unclosedIssue(t: Token | undefined, address: string): AddressIssue | undefined {
  if (!t) return undefined;
  if (t.type === 'quoted') return { key: 'address.unclosedQuote', params: { address } };
  if (t.type === 'comment') return { key: 'address.unclosedComment', params: { address } };
  return { key: 'address.badDomain', params: { address, reason: 'literal' } };
}

function finishMailbox(name: string | undefined, address: string, start: number, end: number, structural: AddressIssue | undefined): ParsedMailbox {
  const box: ParsedMailbox = { kind: 'mailbox', address, start, end };
  if (name !== undefined && name.length > 0) box.name = name;
  if (structural) {
    box.issue = structural;
    return box;
  }
  if (name !== undefined && name.length > MAX_DISPLAY_NAME_LENGTH) {
    box.issue = { key: 'address.nameTooLong', params: { address, max: MAX_DISPLAY_NAME_LENGTH } };
    return box;
  }
  const v = validateAddress(address);
  if (v.ok) {
    box.valid = v.value;
    box.address = v.value.address;
  } else box.issue = v.issue;
  return box;
}

/** Formats a mailbox for display in a text field ("Name <a@b.example>" with quotes where needed). */
export function formatMailboxForDisplay(m: { name?: string; address: string }): string {
  if (!m.name) return m.address;
  const needsQuotes = /[()<>[\]:;@\\,."]/.test(m.name);
  const name = needsQuotes ? `"${m.name.replace(/[\\"]/g, '\\$&')}"` : m.name;
  return `${name} <${m.address}>`;
}
