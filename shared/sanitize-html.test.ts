import { test, assert } from '../main/testing/node-test.js';
import { htmlToPlainText, safeHref, sanitizeHtml, textToHtml } from './sanitize-html.js';

test('keeps the formatting the editor makes', () => {
  assert.equal(sanitizeHtml('<p><strong>Hallo</strong> <em>Welt</em> <u>x</u></p><ul><li>a</li></ul><blockquote>q</blockquote>'),
    '<p><b>Hallo</b> <i>Welt</i> <u>x</u></p><ul><li>a</li></ul><blockquote>q</blockquote>');
});

test('drops scripts, styles, event handlers and foreign attributes', () => {
  assert.equal(sanitizeHtml('<p onclick="x()" style="color:red" class="a">t</p><script>alert(1)</script><style>p{}</style>'), '<p>t</p>');
  assert.equal(sanitizeHtml('<img src=x onerror=alert(1)><svg><script>1</script></svg>ok'), 'ok');
  assert.equal(sanitizeHtml('<iframe src="https://evil"></iframe>x'), 'x');
  assert.equal(sanitizeHtml('<!-- <script> -->a'), 'a');
});

test('links only to http(s) and mailto, whatever the spelling', () => {
  assert.equal(sanitizeHtml('<a href="https://example.org/?a=1&b=2">x</a>'), '<a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">x</a>');
  assert.equal(sanitizeHtml('<a href="javascript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHtml('<a href="java\tscript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(sanitizeHtml('<a href="&#106;avascript:alert(1)">x</a>'), '<a>x</a>');
  assert.equal(safeHref('mailto:a@example.org'), 'mailto:a@example.org');
  assert.equal(safeHref('data:text/html,<script>'), undefined);
});

test('text stays text and the result is well-formed', () => {
  assert.equal(sanitizeHtml('1 < 2 & 3 > 2'), '1 &lt; 2 &amp; 3 &gt; 2');
  assert.equal(sanitizeHtml('<b><i>open'), '<b><i>open</i></b>');
  assert.equal(sanitizeHtml('</p>stray</b>'), 'stray');
  assert.equal(sanitizeHtml('<b>x<i>y</b>z</i>'), '<b>x<i>y</i></b>z');
});

test('plain-text alternative: lists, quotes, links, line breaks', () => {
  assert.equal(htmlToPlainText('<div>Hallo</div><ul><li>eins</li><li>zwei</li></ul><ol><li>a</li></ol><blockquote>zitiert</blockquote><a href="https://x.example">Seite</a>'),
    'Hallo\n• eins\n• zwei\n1. a\n> zitiert\nSeite <https://x.example>');
  assert.equal(htmlToPlainText('a<br>b &amp; c'), 'a\nb & c');
  assert.equal(htmlToPlainText(textToHtml('Zeile 1\n\nZeile <3>')), 'Zeile 1\n\nZeile <3>');
});
