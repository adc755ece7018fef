/**
 * An allow-list HTML sanitiser for what the compose editor (TipTap) produces and for
 * pasted HTML. Pure string code, no DOM: the renderer cleans on paste and on every change,
 * main may clean again. Everything not on the list is dropped (tags) or escaped (text);
 * script, style and similar elements lose their content too. Attributes survive only where
 * listed, and links only with http(s) or mailto targets. The editor's schema already limits
 * what can be typed; this is the second wall, for what arrives from elsewhere (a draft, a
 * paste, a mailto link), and it keeps the HTML that leaves the app small and safe.
 */

const allowedTags = new Set([
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'a', 'blockquote', 'pre', 'code', 'h1', 'h2', 'h3', 'hr',
]);
const voidTags = new Set(['br', 'hr']);
/** Elements whose content is not text for people and goes with them. */
const droppedWithContent = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head', 'title', 'textarea', 'select', 'xmp', 'noembed', 'noframes']);
/** Normalise presentational synonyms. */
const renamed: Readonly<Record<string, string>> = { strong: 'b', em: 'i' };

const escapeText = (s: string): string => s.replace(/&(?!(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos|colon|tab|newline);?/gi, (_m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(lower.slice(2), 16), 0x10ffff));
    if (lower.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(lower.slice(1), 10), 0x10ffff));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' } as Record<string, string>)[lower] ?? '';
  });
}

/** http, https and mailto only; anything that looks like a scheme but is not one of them is refused. */
export function safeHref(raw: string): string | undefined {
  // Browsers ignore control characters and whitespace inside schemes ("java\tscript:").
  const value = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (/^(https?:\/\/|mailto:)/i.test(value)) return value.slice(0, 2048);
  return undefined;
}

const attrPattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function cleanAttributes(tag: string, source: string): string {
  if (tag !== 'a' && tag !== 'ol') return '';
  let out = '';
  for (const m of source.matchAll(attrPattern)) {
    const name = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (tag === 'a' && name === 'href') {
      const href = safeHref(value);
      if (href) out += ` href="${escapeAttr(href)}"`;
    } else if (tag === 'ol' && name === 'start' && /^\d{1,6}$/.test(value)) {
      out += ` start="${value}"`;
    }
  }
  if (tag === 'a' && out) out += ' rel="noopener noreferrer"';
  return out;
}

/** Cleans HTML to the allow-list; the result is always well-formed (open tags are closed). */
export function sanitizeHtml(input: string): string {
  const tokens = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<|[^<]+/g;
  const open: string[] = [];
  let out = '';
  let skipUntil: string | null = null;
  for (const m of input.matchAll(tokens)) {
    const whole = m[0];
    const rawName = m[1];
    if (skipUntil) {
      if (rawName && whole.startsWith('</') && rawName.toLowerCase() === skipUntil) skipUntil = null;
      continue;
    }
    if (!rawName) {
      if (whole.startsWith('<!') || whole.startsWith('<?')) continue; // comments, doctype, CDATA
      out += whole === '<' ? '&lt;' : escapeText(whole);
      continue;
    }
    const name = rawName.toLowerCase();
    const closing = whole.startsWith('</');
    if (droppedWithContent.has(name)) {
      if (!closing && !/\/\s*>$/.test(whole)) skipUntil = name;
      continue;
    }
    if (!allowedTags.has(name)) continue;
    const tag = renamed[name] ?? name;
    if (voidTags.has(tag)) { if (!closing) out += `<${tag}>`; continue; }
    if (closing) {
      const at = open.lastIndexOf(tag);
      if (at === -1) continue;
      while (open.length > at) out += `</${open.pop() ?? ''}>`;
      continue;
    }
    if (open.length >= 64) continue; // absurd nesting is flattened, not followed
    open.push(tag);
    out += `<${tag}${cleanAttributes(tag, m[2] ?? '')}>`;
  }
  while (open.length > 0) out += `</${open.pop() ?? ''}>`;
  return out;
}

/** Plain text from plain text: escape and keep line breaks (for switching plain → rich). */
export function textToHtml(text: string): string {
  if (text.trim() === '') return '';
  return text.split(/\r?\n/).map((line) => `<div>${line === '' ? '<br>' : escapeText(line).replace(/&(?!amp;|lt;|gt;)/g, '&amp;')}</div>`).join('');
}

/** A readable plain-text alternative of sanitised HTML (lists get bullets, quotes get "> "). */
export function htmlToPlainText(html: string): string {
  const clean = sanitizeHtml(html);
  let out = '';
  let quote = 0;
  const listStack: Array<{ ordered: boolean; n: number }> = [];
  let linkHref: string | undefined;
  let linkStart = 0;
  const newline = () => { if (!out.endsWith('\n') && out !== '') out += '\n'; };
  for (const m of clean.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|[^<]+/g)) {
    if (!m[2]) {
      const text = decodeEntities(m[0]);
      out += quote > 0 && (out === '' || out.endsWith('\n')) ? `${'> '.repeat(quote)}${text}` : text;
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2];
    switch (tag) {
      case 'br': out += '\n'; break;
      case 'p': case 'div': case 'h1': case 'h2': case 'h3': case 'pre': newline(); break;
      case 'hr': newline(); out += '---\n'; break;
      case 'blockquote': newline(); quote += closing ? -1 : 1; break;
      case 'ul': case 'ol':
        newline();
        if (closing) listStack.pop(); else listStack.push({ ordered: tag === 'ol', n: 0 });
        break;
      case 'li':
        if (!closing) {
          newline();
          const list = listStack[listStack.length - 1];
          if (list) list.n += 1;
          out += `${'  '.repeat(Math.max(0, listStack.length - 1))}${list?.ordered ? `${list.n}.` : '•'} `;
        }
        break;
      case 'a': {
        if (!closing) { linkHref = /href="([^"]*)"/.exec(m[3] ?? '')?.[1]; linkStart = out.length; }
        else if (linkHref) {
          const href = decodeEntities(linkHref);
          if (!out.slice(linkStart).includes(href.replace(/^mailto:/i, ''))) out += ` <${href}>`;
          linkHref = undefined;
        }
        break;
      }
      default: break;
    }
  }
  return out.replace(/\n{3,}/g, '\n\n').replace(/[ \t]+\n/g, '\n').trim();
}
