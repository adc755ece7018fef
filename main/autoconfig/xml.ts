/**
 * A small, strict XML reader for the config-v1.1.xml subset that autoconfig files use:
 * elements, attributes, text, the five predefined entities and character references,
 * comments, CDATA sections, processing instructions and a DOCTYPE without internal
 * subset. Anything else (an internal DTD, an undefined entity, a mismatched end tag,
 * two root elements, stray text outside the root) is refused with a positioned error.
 *
 * Why our own: autoconfig files come from the network, so entity expansion, unbounded
 * depth and unbounded size are refused up front instead of being configured away.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface XmlError {
  message: string;
  line: number;
  column: number;
}
export type XmlResult = { ok: true; root: XmlElement } | { ok: false; error: XmlError };

export interface XmlLimits {
  /** Characters; autoconfig files are a few kilobytes. */
  maxLength: number;
  maxDepth: number;
}
const defaultLimits: XmlLimits = { maxLength: 1_000_000, maxDepth: 64 };

class XmlSyntaxError extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const nameStart = /[A-Za-z_:\u00C0-\uFFFF]/;
const nameChar = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;

function positionOf(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: pos - lineStart + 1 };
}

export function parseXml(input: string, limits: Partial<XmlLimits> = {}): XmlResult {
  const lim = { ...defaultLimits, ...limits };
  if (input.length > lim.maxLength) {
    return { ok: false, error: { message: `document is larger than ${lim.maxLength} characters`, line: 1, column: 1 } };
  }
  // A byte-order mark is allowed before the declaration.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    return { ok: true, root: new Reader(text, lim.maxDepth).document() };
  } catch (e) {
    if (e instanceof XmlSyntaxError) {
      return { ok: false, error: { message: e.message, ...positionOf(text, e.pos) } };
    }
    throw e;
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly s: string, private readonly maxDepth: number) {}

  private fail(message: string, at = this.pos): never {
    throw new XmlSyntaxError(message, at);
  }

  private startsWith(token: string): boolean {
    return this.s.startsWith(token, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos] ?? '')) this.pos++;
  }

  private readUntil(terminator: string, what: string): string {
    const end = this.s.indexOf(terminator, this.pos);
    if (end < 0) this.fail(`unterminated ${what}`);
    const body = this.s.slice(this.pos, end);
    this.pos = end + terminator.length;
    return body;
  }

  private readName(): string {
    const start = this.pos;
    if (!nameStart.test(this.s[this.pos] ?? '')) this.fail('expected a name');
    this.pos++;
    while (this.pos < this.s.length && nameChar.test(this.s[this.pos] ?? '')) this.pos++;
    return this.s.slice(start, this.pos);
  }

  /** Comments, processing instructions and whitespace, allowed before and after the root. */
  private skipMisc(allowDoctype: boolean): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.processingInstruction();
      else if (allowDoctype && this.startsWith('<!DOCTYPE')) this.doctype();
      else return;
    }
  }

  private comment(): void {
    const start = this.pos;
    this.pos += 4;
    const body = this.readUntil('-->', 'comment');
    if (body.includes('--')) this.fail('"--" is not allowed inside a comment', start);
  }

  private processingInstruction(): void {
    this.pos += 2;
    this.readUntil('?>', 'processing instruction');
  }

  private doctype(): void {
    const start = this.pos;
    const end = this.s.indexOf('>', this.pos);
    if (end < 0) this.fail('unterminated DOCTYPE');
    if (this.s.slice(this.pos, end).includes('[')) this.fail('a DOCTYPE with an internal subset is not accepted', start);
    this.pos = end + 1;
  }

  document(): XmlElement {
    this.skipMisc(true);
    if (this.pos >= this.s.length) this.fail('the document is empty: no root element');
    if (this.s[this.pos] !== '<') this.fail('text before the root element');
    const root = this.element(1);
    this.skipMisc(false);
    if (this.pos < this.s.length) {
      this.fail(this.s[this.pos] === '<' ? 'more than one root element' : 'text after the root element');
    }
    return root;
  }

  private element(depth: number): XmlElement {
    if (depth > this.maxDepth) this.fail(`elements nested deeper than ${this.maxDepth}`);
    const open = this.pos;
    this.pos++; // '<'
    const name = this.readName();
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return { name, attrs, children: [] };
      }
      if (this.startsWith('>')) {
        this.pos++;
        break;
      }
      if (this.pos >= this.s.length) this.fail(`unterminated start tag <${name}>`, open);
      if (this.pos === before) this.fail('expected whitespace before an attribute');
      const attrName = this.readName();
      this.skipSpace();
      if (this.s[this.pos] !== '=') this.fail(`attribute "${attrName}" has no value`);
      this.pos++;
      this.skipSpace();
      const quote = this.s[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`the value of attribute "${attrName}" must be quoted`);
      this.pos++;
      const valueStart = this.pos;
      const raw = this.readUntil(quote, 'attribute value');
      if (raw.includes('<')) this.fail('"<" is not allowed in an attribute value', valueStart);
      if (Object.prototype.hasOwnProperty.call(attrs, attrName)) this.fail(`attribute "${attrName}" appears twice`);
      attrs[attrName] = this.decode(raw, valueStart).replace(/[\t\n\r]/g, ' ');
    }
    const children: XmlNode[] = [];
    let textBuf = '';
    const flush = (): void => {
      if (textBuf) children.push(textBuf);
      textBuf = '';
    };
    for (;;) {
      if (this.pos >= this.s.length) this.fail(`element <${name}> is not closed`, open);
      if (this.startsWith('</')) {
        this.pos += 2;
        const endStart = this.pos;
        const endName = this.readName();
        this.skipSpace();
        if (this.s[this.pos] !== '>') this.fail(`malformed end tag </${endName}`);
        this.pos++;
        if (endName !== name) this.fail(`end tag </${endName}> does not match <${name}>`, endStart);
        flush();
        return { name, attrs, children };
      }
      if (this.startsWith('<!--')) {
        this.comment();
      } else if (this.startsWith('<![CDATA[')) {
        this.pos += 9;
        textBuf += this.readUntil(']]>', 'CDATA section');
      } else if (this.startsWith('<?')) {
        this.processingInstruction();
      } else if (this.startsWith('<!')) {
        this.fail('unexpected markup declaration inside an element');
      } else if (this.s[this.pos] === '<') {
        flush();
        children.push(this.element(depth + 1));
      } else {
        const start = this.pos;
        const next = this.s.indexOf('<', this.pos);
        const end = next < 0 ? this.s.length : next;
        const raw = this.s.slice(start, end);
        if (raw.includes(']]>')) this.fail('"]]>" is not allowed in text', start + raw.indexOf(']]>'));
        textBuf += this.decode(raw, start);
        this.pos = end;
      }
    }
  }

  private decode(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s<]*);?/g, (match, ref: string, at: number) => {
      if (!match.endsWith(';')) this.fail('"&" must start an entity reference such as &amp;', offset + at);
      if (ref.startsWith('#')) {
        const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16)
          : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
        const valid = Number.isInteger(code) && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
          && (code === 0x9 || code === 0xa || code === 0xd || code >= 0x20);
        if (!valid) this.fail(`invalid character reference &${ref};`, offset + at);
        return String.fromCodePoint(code);
      }
      const value = predefined[ref];
      if (value === undefined) this.fail(`undefined entity &${ref};`, offset + at);
      return value;
    });
  }
}

/** Child elements with the given name, in document order. */
export const childElements = (el: XmlElement, name?: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));

/** The text content of an element (its own text and that of descendants), trimmed. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out.trim();
}

/** Text of the first child element with that name, or undefined. */
export const childText = (el: XmlElement, name: string): string | undefined => {
  const c = childElements(el, name)[0];
  return c ? textOf(c) : undefined;
};
