import { describe, it, assert } from '../main/testing/node-test.js';
import fc from 'fast-check';
import { MAX_ADDRESS_LIST_LENGTH, formatMailboxForDisplay, parseAddressList, toAsciiDomain, validateAddress, type ParsedMailbox } from './address.js';

const boxes = (input: string): Array<{ name?: string; address: string }> =>
  parseAddressList(input).mailboxes.map((m: ParsedMailbox) => (m.name === undefined ? { address: m.address } : { name: m.name, address: m.address }));

describe('parseAddressList: what people type', () => {
  it('display names, angle addresses, bare addresses, "," and ";"', () => {
    assert.deepEqual(boxes('Name <a@b.example>, c@d.example; "Last, First" <e@f.example>'), [
      { name: 'Name', address: 'a@b.example' },
      { address: 'c@d.example' },
      { name: 'Last, First', address: 'e@f.example' },
    ]);
    assert.ok(parseAddressList('Name <a@b.example>, c@d.example; "Last, First" <e@f.example>').ok);
  });

  it('quoted strings with commas, semicolons, angle brackets and escapes', () => {
    assert.deepEqual(boxes('"Doe; John <boss>" <j@x.example>, "A \\"quoted\\" name" <q@x.example>'), [
      { name: 'Doe; John <boss>', address: 'j@x.example' },
      { name: 'A "quoted" name', address: 'q@x.example' },
    ]);
  });

  it('groups, including empty ones and groups among mailboxes', () => {
    const list = parseAddressList('Team: a@x.example, B <b@x.example>;, c@x.example, undisclosed-recipients:;');
    assert.equal(list.entries.length, 3);
    const [g, c, empty] = list.entries;
    assert.equal(g?.kind, 'group');
    assert.equal(g?.kind === 'group' ? g.name : '', 'Team');
    assert.deepEqual(g?.kind === 'group' ? g.members.map((m) => m.address) : [], ['a@x.example', 'b@x.example']);
    assert.equal(c?.kind === 'mailbox' ? c.address : '', 'c@x.example');
    assert.equal(empty?.kind === 'group' ? empty.members.length : -1, 0);
    assert.deepEqual(list.mailboxes.map((m) => m.address), ['a@x.example', 'b@x.example', 'c@x.example']);
    assert.ok(list.ok);
  });

  it('comments: ignored in addresses, used as a name when there is none', () => {
    assert.deepEqual(boxes('a@x.example (Anna (the boss) Schmidt)'), [{ name: 'Anna (the boss) Schmidt', address: 'a@x.example' }]);
    assert.deepEqual(boxes('Bob (work) <b@x.example>'), [{ name: 'Bob', address: 'b@x.example' }]);
  });

  it('addresses separated by spaces only, and a name before a bare address', () => {
    assert.deepEqual(boxes('a@x.example b@y.example'), [{ address: 'a@x.example' }, { address: 'b@y.example' }]);
    assert.deepEqual(boxes('Jane Doe jane@x.example'), [{ name: 'Jane Doe', address: 'jane@x.example' }]);
  });

  it('obsolete spacing around "@" and "." still gives one address', () => {
    assert.deepEqual(boxes('john . doe @ example.com'), [{ address: 'john.doe@example.com' }]);
    assert.deepEqual(boxes('"john doe"@example.com'), [{ address: '"john doe"@example.com' }]);
  });

  it('empty entries, trailing separators and white space are ignored', () => {
    assert.deepEqual(boxes(' ,, a@x.example ;; ,  '), [{ address: 'a@x.example' }]);
    assert.deepEqual(parseAddressList('').entries, []);
    assert.ok(parseAddressList('   ').ok);
  });

  it('positions let the UI turn each mailbox into a chip', () => {
    const input = 'Anna <a@x.example>, b@y.example';
    const [a, b] = parseAddressList(input).mailboxes;
    assert.equal(input.slice(a?.start, a?.end), 'Anna <a@x.example>');
    assert.equal(input.slice(b?.start, b?.end), 'b@y.example');
  });

  it('says which mailbox is wrong and why', () => {
    const list = parseAddressList('ok@x.example, Anna <anna.x.example>, bob@, "open <c@x.example>, <d@x.example');
    assert.equal(list.ok, false);
    assert.deepEqual(
      list.issues.map((i) => [i.key, i.params.address]),
      [
        ['address.missingAt', 'anna.x.example'],
        ['address.missingDomain', 'bob@'],
        ['address.unclosedQuote', '"open <c@x.example>, <d@x.example'],
      ],
    );
    assert.equal(parseAddressList('A <a@x.example').issues[0]?.key, 'address.unclosedAngle');
    assert.equal(parseAddressList('A <a@x.example> junk').issues[0]?.key, 'address.unexpectedText');
    assert.equal(parseAddressList('a@x.example (open comment').issues[0]?.key, 'address.unclosedComment');
  });

  it('IDN domains are given in punycode; a non-ASCII local part is marked for SMTPUTF8', () => {
    const [m] = parseAddressList('Jörg <jörg@bücher.example>').mailboxes;
    assert.equal(m?.valid?.ascii, 'jörg@xn--bcher-kva.example');
    assert.equal(m?.valid?.needsSmtpUtf8, true);
    const [n] = parseAddressList('info@例え.テスト').mailboxes;
    assert.equal(n?.valid?.asciiDomain, 'xn--r8jz45g.xn--zckzah');
    assert.equal(n?.valid?.needsSmtpUtf8, false);
  });
});

describe('validateAddress: precise reasons', () => {
  const reason = (a: string): string => {
    const v = validateAddress(a);
    return v.ok ? 'ok' : `${v.issue.key}${v.issue.params.reason ? `:${v.issue.params.reason}` : ''}`;
  };
  const cases: Array<[string, string]> = [
    ['a@example.com', 'ok'],
    ['first.last+tag@sub.example.co.uk', 'ok'],
    ["o'brien@example.ie", 'ok'],
    ['"john doe"@example.com', 'ok'],
    ['"john"@example.com', 'ok'],
    ['user@[192.168.0.1]', 'ok'],
    ['user@[IPv6:2001:db8::1]', 'ok'],
    ['postmaster@localhost', 'ok'],
    ['', 'address.empty'],
    ['example.com', 'address.missingAt'],
    ['@example.com', 'address.missingLocalPart'],
    ['a@', 'address.missingDomain'],
    ['.a@example.com', 'address.badLocalPart:dotAtEdge'],
    ['a..b@example.com', 'address.badLocalPart:doubleDot'],
    ['a b@example.com', 'address.badLocalPart:char'],
    ['a@b@example.com', 'address.badLocalPart:char'],
    [`${'x'.repeat(65)}@example.com`, 'address.localPartTooLong'],
    ['a@example', 'address.badDomain:noDot'],
    ['a@exa_mple.com', 'address.badDomain:char'],
    ['a@-example.com', 'address.badDomain:hyphenAtEdge'],
    ['a@example..com', 'address.badDomain:emptyLabel'],
    ['a@example.com.', 'address.badDomain:emptyLabel'],
    [`a@${'x'.repeat(64)}.com`, 'address.badDomain:labelTooLong'],
    ['a@1.2.3.4', 'address.badDomain:numericTld'],
    ['a@[1.2.3.999]', 'address.badDomain:literal'],
    [`a@${'abcdefghi.'.repeat(26)}com`, 'address.domainTooLong'],
    [`${'x'.repeat(64)}@${Array.from({ length: 4 }, () => 'y'.repeat(46)).join('.')}.com`, 'address.tooLong'],
    ['"unterminated@example.com', 'address.unclosedQuote'],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input.length > 50 ? input.slice(0, 50) + '…' : input)} → ${expected}`, () => assert.equal(reason(input), expected));

  it('names the address in the issue params', () => {
    const v = validateAddress('anna@exa mple.com');
    assert.equal(v.ok, false);
    if (!v.ok) assert.deepEqual(v.issue.params, { address: 'anna@exa mple.com', reason: 'char', char: 'U+0020' });
  });

  it('toAsciiDomain uses the WHATWG URL parser', () => {
    assert.equal(toAsciiDomain('BÜCHER.example'), 'xn--bcher-kva.example');
    assert.throws(() => toAsciiDomain('a/b'));
  });

  it('formats mailboxes for display with quotes where needed', () => {
    assert.equal(formatMailboxForDisplay({ name: 'Last, First', address: 'a@x.example' }), '"Last, First" <a@x.example>');
    assert.equal(formatMailboxForDisplay({ address: 'a@x.example' }), 'a@x.example');
  });
});

describe('parseAddressList: bounded time on hostile input', () => {
  const fast = (input: string, ms = 1500): ReturnType<typeof parseAddressList> => {
    const t0 = performance.now();
    const r = parseAddressList(input);
    const took = performance.now() - t0;
    assert.ok(took < ms, `took ${took.toFixed(1)} ms for ${input.length} chars`);
    return r;
  };
  // Limits are generous (the machine is shared); quadratic behaviour on 65k characters takes many seconds.
  it('100k characters are refused at once', () => {
    const r = fast('a'.repeat(100_000), 50);
    assert.equal(r.issues[0]?.key, 'address.listTooLong');
  });
  it('just under the limit: no "@", deep comment nesting, nested quotes and brackets, many separators', () => {
    const n = MAX_ADDRESS_LIST_LENGTH - 10;
    assert.equal(fast('x'.repeat(n)).issues[0]?.key, 'address.tooLong');
    assert.equal(fast('x'.repeat(900)).issues[0]?.key, 'address.missingAt');
    assert.equal(fast('('.repeat(n)).issues[0]?.key, 'address.unclosedComment');
    assert.equal(fast('('.repeat(n / 2 - 10) + ')'.repeat(n / 2 - 10) + ' a@x.example').issues[0]?.key, 'address.nameTooLong');
    assert.ok(fast('a@x.example ' + '('.repeat(40) + 'c' + ')'.repeat(40)).ok);
    fast('<'.repeat(n));
    fast('"\\'.repeat(n / 2));
    fast('a:'.repeat(n / 2));
    fast('[' .repeat(n));
    fast('@'.repeat(n));
    fast('a@b '.repeat(n / 4));
    fast('a@b:'.repeat(n / 4));
    fast('x <a@b:'.repeat(n / 8));
    const many = fast(',a@x.example'.repeat(5000));
    assert.equal(many.issues.at(-1)?.key, 'address.tooManyAddresses');
  });
  it('random input never throws and stays fast', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '@', '.', ',', ';', ':', '<', '>', '(', ')', '"', '\\', '[', ']', ' ', 'ü', 'x'), maxLength: 2000 }), (s) => {
        const r = parseAddressList(s);
        for (const m of r.mailboxes) assert.ok(m.valid !== undefined || m.issue !== undefined);
      }),
      { numRuns: 300 },
    );
  });
});
