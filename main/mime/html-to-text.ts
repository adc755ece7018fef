/**
 * The plain-text alternative of an HTML message: paragraphs as blank lines, <br> as line
 * breaks, links as "text <url>", lists as "- item" / "1. item", quotes as "> ", headings
 * and rules set apart, entities decoded, script/style dropped. One linear pass.
 */

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', shy: '', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“',
  rdquo: '”', bdquo: '„', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', deg: '°', middot: '·',
  bull: '•', times: '×', divide: '÷', plusmn: '±', micro: 'µ', iexcl: '¡', iquest: '¿', szlig: 'ß', auml: 'ä',
  ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', eacute: 'é', egrave: 'è', ecirc: 'ê', Eacute: 'É',
  aacute: 'á', agrave: 'à', acirc: 'â', oacute: 'ó', ograve: 'ò', ocirc: 'ô', uacute: 'ú', ugrave: 'ù', ucirc: 'û',
  iacute: 'í', igrave: 'ì', icirc: 'î', ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ', aring: 'å', Aring: 'Å',
  oslash: 'ø', Oslash: 'Ø', aelig: 'æ', AElig: 'Æ', zwnj: '\u200c', zwj: '\u200d', lrm: '\u200e', rlm: '\u200f',
  ensp: ' ', emsp: ' ', thinsp: '\u2009', larr: '←', rarr: '→', uarr: '↑', darr: '↓', check: '✓',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (m, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return ENTITIES[body] ?? m;
  });
}

const BLOCK_BREAK: Record<string, number> = {
  p: 2, h1: 2, h2: 2, h3: 2, h4: 2, h5: 2, h6: 2, ul: 2, ol: 2, blockquote: 2, pre: 2, table: 2, dl: 2, figure: 2,
  div: 1, section: 1, article: 1, header: 1, footer: 1, main: 1, nav: 1, aside: 1, address: 1, tr: 1, li: 1, dt: 1,
  dd: 1, figcaption: 1, form: 1, fieldset: 1, center: 1, hr: 1, caption: 1,
};
const SKIP = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg', 'object', 'iframe']);

interface Link {
  href: string;
  text: string;
}

/** Nesting deeper than this is not shown deeper: keeps hostile input from growing the output quadratically. */
const MAX_VISIBLE_DEPTH = 8;

const trimEndSpaces = (s: string): string => {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  return end === s.length ? s : s.slice(0, end);
};

class TextBuilder {
  private out: string[] = [];
  private line = '';
  /** Last character written to the line (checking line.endsWith would flatten a long rope each time). */
  private lastChar = '';
  private pendingBreaks = 0;
  private wroteAnything = false;
  quoteDepth = 0;
  pre = 0;
  /** The open link, if any (links do not nest in HTML; a new <a> ends the previous one). */
  link: Link | null = null;

  /** Quote depth of blank lines between blocks: the shallower of where the break was asked for and now. */
  private breakQuote = 0;

  blockBreak(n: number): void {
    if (!this.wroteAnything) return;
    this.breakQuote = this.pendingBreaks === 0 ? this.quoteDepth : Math.min(this.breakQuote, this.quoteDepth);
    this.pendingBreaks = Math.max(this.pendingBreaks, n);
  }
  lineBreak(): void {
    this.flushBreaks();
    this.endLine();
    this.wroteAnything = true;
  }
  private endLine(): void {
    this.out.push(trimEndSpaces(this.line));
    this.line = '';
    this.lastChar = '';
  }
  private flushBreaks(): void {
    if (this.pendingBreaks === 0) return;
    if (this.line.length > 0) this.endLine();
    const depth = Math.min(this.breakQuote, this.quoteDepth);
    for (let k = 1; k < this.pendingBreaks; k++) this.out.push('>'.repeat(Math.min(depth, MAX_VISIBLE_DEPTH)));
    this.pendingBreaks = 0;
  }
  private lineStart(): boolean {
    return this.line.length === 0;
  }
  text(raw: string): void {
    if (raw.length === 0) return;
    if (this.pre > 0) {
      const parts = raw.replace(/\r\n?/g, '\n').split('\n');
      parts.forEach((p, k) => {
        if (k > 0) this.lineBreak();
        if (p.length > 0) this.write(p);
      });
      return;
    }
    let t = raw.replace(/[ \t\r\n\f]+/g, ' ');
    if (this.pendingBreaks > 0 || this.lineStart() || this.lastChar === ' ') t = t.replace(/^ /, '');
    if (t.length === 0) return;
    this.write(t);
  }
  private write(t: string): void {
    this.flushBreaks();
    if (this.lineStart() && this.quoteDepth > 0) this.line = '> '.repeat(Math.min(this.quoteDepth, MAX_VISIBLE_DEPTH));
    this.line += t;
    this.lastChar = t[t.length - 1] ?? this.lastChar;
    this.wroteAnything = true;
    if (this.link) this.link.text += t;
  }
  /** Text that must start on its own (list markers): no leading-space trimming issues. */
  marker(m: string): void {
    this.write(m);
  }
  result(): string {
    if (this.line.length > 0) this.endLine();
    const text = this.out.join('\n').replace(/\u00a0/g, ' ');
    return text.replace(/^\n+/, '').replace(/\n{3,}/g, '\n\n').trimEnd();
  }
}

/** Converts HTML to readable plain text. */
export function htmlToText(html: string): string {
  const b = new TextBuilder();
  const lower = html.toLowerCase();
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const endLink = (): void => {
    const link = b.link;
    if (!link) return;
    b.link = null;
    const shown = link.text.trim();
    const bare = link.href.replace(/^mailto:/i, '');
    if (shown.length === 0) b.text(link.href);
    else if (shown !== link.href && shown !== bare) b.text(` <${link.href}>`);
  };
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) b.text(decodeEntities(html.slice(i, textEnd)));
    if (lt < 0) break;
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      const end = html.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(i, i + 40));
    if (!m) {
      b.text('<');
      i++;
      continue;
    }
    // Find the tag end, honouring quoted attribute values.
    let j = i + m[0].length;
    let quote = '';
    for (; j < n; j++) {
      const ch = html[j];
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') break;
    }
    const tagText = html.slice(i, j);
    i = Math.min(n, j + 1);
    const closing = m[1] === '/';
    const name = (m[2] ?? '').toLowerCase();

    if (!closing && SKIP.has(name) && !tagText.endsWith('/')) {
      const end = lower.indexOf(`</${name}`, i);
      if (end < 0) break;
      const close = html.indexOf('>', end);
      i = close < 0 ? n : close + 1;
      continue;
    }
    const brk = BLOCK_BREAK[name];
    switch (name) {
      case 'br':
        b.lineBreak();
        continue;
      case 'hr':
        b.blockBreak(2);
        b.marker('-'.repeat(40));
        b.blockBreak(2);
        continue;
      case 'ul':
      case 'ol':
        if (closing) lists.pop();
        else lists.push({ ordered: name === 'ol', n: Number(attr(tagText, 'start') ?? 1) || 1 });
        b.blockBreak(lists.length > (closing ? 0 : 1) ? 1 : 2);
        continue;
      case 'li': {
        b.blockBreak(1);
        if (closing) continue;
        const list = lists[lists.length - 1];
        const indent = '  '.repeat(Math.min(MAX_VISIBLE_DEPTH, Math.max(0, lists.length - 1)));
        if (list?.ordered) b.marker(`${indent}${list.n++}. `);
        else b.marker(`${indent}- `);
        continue;
      }
      case 'blockquote':
        b.blockBreak(2);
        b.quoteDepth = Math.max(0, b.quoteDepth + (closing ? -1 : 1));
        continue;
      case 'pre':
        b.blockBreak(2);
        b.pre = Math.max(0, b.pre + (closing ? -1 : 1));
        continue;
      case 'td':
      case 'th':
        if (!closing) b.text(' ');
        else b.text('\t');
        continue;
      case 'img': {
        const alt = attr(tagText, 'alt');
        if (alt) b.text(`[${decodeEntities(alt)}]`);
        continue;
      }
      case 'a': {
        endLink();
        if (!closing) {
          const href = attr(tagText, 'href');
          if (href && /^(https?:|mailto:|ftp:|tel:)/i.test(href.trim())) b.link = { href: decodeEntities(href.trim()), text: '' };
        }
        continue;
      }
      default:
        if (brk !== undefined) b.blockBreak(brk);
    }
  }
  endLink();
  return b.result();
}

function attr(tag: string, name: string): string | undefined {
  const re = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
  const m = re.exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
