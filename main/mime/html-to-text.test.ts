import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntities, htmlToText } from './html-to-text.js';

describe('htmlToText', () => {
  it('paragraphs, line breaks, headings and rules', () => {
    assert.equal(htmlToText('<h1>Title</h1><p>One\n  two</p><p>Three<br>four</p><hr><div>five</div>'), 'Title\n\nOne two\n\nThree\nfour\n\n----------------------------------------\n\nfive');
  });
  it('links as "text <url>", bare when the text is the url', () => {
    assert.equal(htmlToText('<p>See <a href="https://example.com/a?b=1&amp;c=2">our site</a>.</p>'), 'See our site <https://example.com/a?b=1&c=2>.');
    assert.equal(htmlToText('<a href="https://example.com">https://example.com</a>'), 'https://example.com');
    assert.equal(htmlToText('<a href="mailto:a@example.com">a@example.com</a>'), 'a@example.com');
    assert.equal(htmlToText('<a href="javascript:alert(1)">click</a>'), 'click');
  });
  it('lists, nested and ordered', () => {
    assert.equal(htmlToText('<ul><li>a</li><li>b<ol><li>one</li><li>two</li></ol></li></ul><p>end</p>'), '- a\n- b\n  1. one\n  2. two\n\nend');
  });
  it('entities, numeric and named, and non-breaking spaces', () => {
    assert.equal(decodeEntities('&auml;&#246;&#xFC; &euro; &amp;amp; &unknown; &#0;'), 'äöü € &amp; &unknown; \ufffd');
    assert.equal(htmlToText('<p>Gr&uuml;&szlig;e&nbsp;aus K&ouml;ln &mdash; 5&nbsp;&euro;</p>'), 'Grüße aus Köln — 5 €');
  });
  it('drops script, style, head and comments; keeps image alt text', () => {
    assert.equal(htmlToText('<html><head><title>t</title><style>p{}</style></head><body><!-- c --><script>x<y</script><p>Hi <img src="cid:a" alt="Logo"></p></body></html>'), 'Hi [Logo]');
  });
  it('blockquotes are quoted, pre keeps its lines', () => {
    assert.equal(htmlToText('<p>Reply</p><blockquote><p>quoted line</p></blockquote>'), 'Reply\n\n> quoted line');
    assert.equal(htmlToText('<pre>a  b\n  c</pre>'), 'a  b\n  c');
  });
  it('RTL and CJK text passes through', () => {
    assert.equal(htmlToText('<p dir="rtl">שלום עולם</p><p>你好</p>'), 'שלום עולם\n\n你好');
  });
  it('is linear on hostile input (deep nesting, endless links, long white space)', () => {
    const inputs = [
      '<a href="https://x.example">t'.repeat(20000),
      '<'.repeat(100000),
      '<p '.repeat(20000),
      '<ul><li>x'.repeat(5000),
      '<blockquote>x'.repeat(5000),
      'a' + ' '.repeat(200000) + 'b',
      '&amp;'.repeat(50000),
    ];
    for (const input of inputs) {
      const t0 = performance.now();
      const out = htmlToText(input);
      const took = performance.now() - t0;
      assert.ok(took < 3000, `${took.toFixed(0)} ms for ${input.slice(0, 20)}…`);
      assert.ok(out.length < input.length * 4, 'output does not grow quadratically');
    }
  });
  it('nesting deeper than 8 levels is not indented further', () => {
    const out = htmlToText('<blockquote>'.repeat(20) + 'deep');
    assert.equal(out, '> '.repeat(8) + 'deep');
  });
});
