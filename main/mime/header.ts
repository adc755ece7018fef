/**
 * Header encoding: RFC 2047 encoded words, RFC 5322 folding, RFC 2231 parameters.
 *
 * Values are turned into "atoms" (pieces that must stay on one line) and then folded:
 * a line break is only ever inserted before a space, so unfolding gives the value back,
 * lines stay within 78 characters whenever an atom allows it and never exceed 998 octets.
 */

export const SOFT_LINE_LIMIT = 78;
export const HARD_LINE_LIMIT = 998;
/** RFC 2047 2: an encoded word is at most 75 characters. */
export const MAX_ENCODED_WORD = 75;
/** Longest literal word we leave unencoded, so it can always start a continuation line. */
const MAX_LITERAL_WORD = 70;

const Q_PREFIX = '=?UTF-8?Q?';
const B_PREFIX = '=?UTF-8?B?';
const WORD_OVERHEAD = Q_PREFIX.length + 2;
/** Shortest first-word budget we honour; below it the header folds right after the colon. */
const MIN_FIRST_WORD = WORD_OVERHEAD + 12;

/** Room for the first atom on the "Name: " line, so parsers never see a fold before the value. */
export const firstLineRoom = (headerName: string): number => SOFT_LINE_LIMIT - headerName.length - 2;

const HEX = '0123456789ABCDEF';
/** Bytes that stay literal in a Q encoded word; this set is safe in phrases too (RFC 2047 5(3)). */
const qSafe = new Uint8Array(256);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/') qSafe[ch.charCodeAt(0)] = 1;

const utf8 = new TextEncoder();

/** Lone surrogates cannot be encoded in UTF-8; they become U+FFFD as TextEncoder would do. */
export const wellFormed = (s: string): string => s.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');

function qEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x20) out += '_';
    else if (qSafe[b] === 1) out += String.fromCharCode(b);
    else out += '=' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}
const qLength = (bytes: Uint8Array): number => {
  let n = 0;
  for (const b of bytes) n += b === 0x20 || qSafe[b] === 1 ? 1 : 3;
  return n;
};
const bLength = (byteCount: number): number => Math.ceil(byteCount / 3) * 4;

/**
 * Encodes text as one or more encoded words of at most 75 characters each, choosing Q or B
 * by whichever is shorter, and splitting only between code points (never inside a UTF-8
 * sequence). Adjacent encoded words are joined by decoders without the space between them.
 */
export function encodeWords(text: string, firstMax: number = MAX_ENCODED_WORD): string[] {
  const firstPayload = Math.min(MAX_ENCODED_WORD, firstMax >= MIN_FIRST_WORD ? firstMax : MAX_ENCODED_WORD) - WORD_OVERHEAD;
  const chars = Array.from(wellFormed(text), (ch) => utf8.encode(ch));
  const words: string[] = [];
  let current: Uint8Array[] = [];
  let currentBytes = 0;
  let currentQ = 0;
  // Each encoded word is Q or B, whichever is shorter for its own bytes: a run of mostly
  // ASCII with one umlaut reads as Q, a run of CJK or emoji packs tighter as B.
  const flush = (): void => {
    if (current.length === 0) return;
    const bytes = new Uint8Array(currentBytes);
    let off = 0;
    for (const c of current) {
      bytes.set(c, off);
      off += c.length;
    }
    words.push(currentQ <= bLength(currentBytes) ? `${Q_PREFIX}${qEncodeBytes(bytes)}?=` : `${B_PREFIX}${Buffer.from(bytes).toString('base64')}?=`);
    current = [];
    currentBytes = 0;
    currentQ = 0;
  };
  for (const c of chars) {
    const payload = words.length === 0 ? firstPayload : MAX_ENCODED_WORD - WORD_OVERHEAD;
    // A character joins the word while the word still fits in at least one of the encodings.
    const fits = Math.min(currentQ + qLength(c), bLength(currentBytes + c.length)) <= payload;
    if (!fits) flush();
    current.push(c);
    currentBytes += c.length;
    currentQ += qLength(c);
  }
  flush();
  return words;
}

const isPlainWord = (w: string): boolean => w.length > 0 && w.length <= MAX_LITERAL_WORD && /^[\x21-\x7e]+$/.test(w) && !w.includes('=?');

/**
 * Atoms of an unstructured value (Subject, custom headers): words that are printable ASCII
 * stay as they are; runs of other words (non-ASCII, controls, very long, or looking like an
 * encoded word) become encoded words, the spaces between them encoded with them.
 */
export function unstructuredAtoms(value: string, firstMax: number = MAX_ENCODED_WORD): string[] {
  if (value.length === 0) return [];
  const words = value.split(' ');
  const atoms: string[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? '';
    if (isPlainWord(w) && (i > 0 || w.length <= firstMax || firstMax < MIN_FIRST_WORD)) {
      atoms.push(w);
      i++;
      continue;
    }
    let j = i;
    j++;
    while (j < words.length && !isPlainWord(words[j] ?? '')) j++;
    let runText = words.slice(i, j).join(' ');
    if (runText.length === 0) {
      // A lone leading/trailing space: an encoded word cannot be empty, so take a neighbour in.
      if (j < words.length) {
        runText = ' ' + (words[j] ?? '');
        j++;
        while (j < words.length && !isPlainWord(words[j] ?? '')) runText += ' ' + (words[j++] ?? '');
      } else {
        const prev = atoms.pop() ?? '';
        // White space between two encoded words is dropped when decoding (RFC 2047 §6.2),
        // so if an encoded word now comes before, the space in between goes inside this one.
        const afterEncodedWord = atoms.at(-1)?.startsWith('=?') ?? false;
        runText = (afterEncodedWord ? ' ' : '') + prev + ' ';
      }
    }
    atoms.push(...encodeWords(runText, atoms.length === 0 ? firstMax : MAX_ENCODED_WORD));
    i = j;
  }
  return atoms;
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;

/** Atoms of a display name (RFC 5322 phrase): atoms, one quoted string, or encoded words. */
export function phraseAtoms(name: string, firstMax: number = MAX_ENCODED_WORD): string[] {
  if (name.length === 0) return [];
  const words = name.split(' ');
  const limit = (k: number): number => (k === 0 && firstMax >= MIN_FIRST_WORD ? Math.min(firstMax, MAX_LITERAL_WORD) : MAX_LITERAL_WORD);
  if (words.every((w, k) => w.length <= limit(k) && ATEXT.test(w) && !w.includes('=?'))) return words;
  const quoted = `"${name.replace(/[\\"]/g, '\\$&')}"`;
  if (/^[\x20-\x7e]+$/.test(name) && quoted.length <= limit(0) && !name.includes('=?')) return [quoted];
  return encodeWords(name, firstMax);
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Folds "Name: atom atom …" into lines of at most 78 characters where the atoms allow,
 * breaking only before a space. Returns the header with a final CRLF.
 */
export function foldHeader(name: string, atoms: string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const atom of atoms) {
    const len = byteLength(atom);
    if (lineLength + 1 + len > SOFT_LINE_LIMIT && lineLength > 1) {
      out += '\r\n ' + atom;
      lineLength = 1 + len;
    } else {
      out += ' ' + atom;
      lineLength += 1 + len;
    }
  }
  if (atoms.length === 0) out += ' ';
  return out + '\r\n';
}

/** The longest line of a header block in octets (for self-checks and tests). */
export const longestLine = (block: string): number => Math.max(0, ...block.split('\r\n').map(byteLength));

// ---------------------------------------------------------------------------------------
// Parameters (Content-Type / Content-Disposition)

const ATTR_SAFE = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;
const isTokenValue = (v: string): boolean => /^[A-Za-z0-9!#$&+\-.^_`|~]+$/.test(v);

function percentEncode(ch: string): string {
  if (ATTR_SAFE.test(ch)) return ch;
  let out = '';
  for (const b of utf8.encode(ch)) out += '%' + HEX[b >> 4] + HEX[b & 15];
  return out;
}

/**
 * Parameter atoms for a file name: RFC 2231 (filename*0*=utf-8''…, continued in pieces that
 * fit a line) when the name is not short plain ASCII, otherwise a simple quoted value.
 * Each returned atom ends with ";" except the last, which the caller decides.
 */
export function rfc2231Atoms(attribute: string, value: string): string[] {
  value = wellFormed(value);
  if (/^[\x20-\x7e]*$/.test(value) && value.length <= 60 && !value.includes('=?')) {
    return [`${attribute}=${isTokenValue(value) ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`}`];
  }
  const pieces: string[] = [];
  let current = '';
  const budget = SOFT_LINE_LIMIT - 1 - attribute.length - `*NN*=utf-8''`.length - 1;
  for (const ch of value) {
    const enc = percentEncode(ch);
    if (current.length + enc.length > budget) {
      pieces.push(current);
      current = '';
    }
    current += enc;
  }
  pieces.push(current);
  if (pieces.length === 1) return [`${attribute}*=utf-8''${pieces[0] ?? ''}`];
  return pieces.map((p, k) => `${attribute}*${k}*=${k === 0 ? "utf-8''" : ''}${p}${k < pieces.length - 1 ? ';' : ''}`);
}

/**
 * The legacy `name="…"` (or `filename=`) value many programs still read: RFC 2047 encoded
 * words inside a quoted string, split at spaces so the header can fold there.
 */
export function legacyNameAtoms(attribute: string, value: string): string[] {
  value = wellFormed(value);
  if (/^[\x20-\x7e]*$/.test(value) && value.length <= 60 && !value.includes('=?')) {
    return [`${attribute}=${isTokenValue(value) ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`}`];
  }
  // The first word shares its line with ` name="`, and a lone word also with `";`.
  const words = encodeWords(value, SOFT_LINE_LIMIT - 1 - attribute.length - 2 - 2);
  return words.map((w, k) => `${k === 0 ? `${attribute}="` : ''}${w}${k === words.length - 1 ? '"' : ''}`);
}

/** Joins parameter groups with ";" so that "a; b; c" folds between parameters. */
export function withSemicolons(groups: string[][]): string[] {
  const atoms: string[] = [];
  groups.forEach((g, gi) => {
    g.forEach((a, ai) => atoms.push(gi < groups.length - 1 && ai === g.length - 1 ? `${a};` : a));
  });
  return atoms;
}

/** RFC 5322 date-time in UTC ("Tue, 02 Dec 2025 09:05:00 +0000"): no time zone leaks. */
export function formatDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
