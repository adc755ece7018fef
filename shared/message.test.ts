import { describe, it, assert } from '../main/testing/node-test.js';
import { MessageDraftSchema } from './message.js';

describe('MessageDraftSchema', () => {
  const minimal = { from: { address: 'me@example.com' }, to: 'you@example.com' };
  it('accepts a minimal draft and fills defaults', () => {
    const d = MessageDraftSchema.parse(minimal);
    assert.deepEqual(d.cc, []);
    assert.deepEqual(d.attachments, []);
    assert.equal(d.subject, '');
  });
  it('accepts recipients as typed text or as parsed chips and groups', () => {
    assert.ok(MessageDraftSchema.safeParse({ ...minimal, to: ['a@example.com', { name: 'B', address: 'b@example.com' }, { group: 'Team', members: [{ address: 'c@example.com' }] }] }).success);
  });
  it('accepts everything the compose window can set', () => {
    const full = {
      ...minimal,
      replyTo: 'r@example.com',
      subject: 'Grüße',
      text: 't',
      html: '<p>h</p>',
      attachments: [{ path: '/tmp/a.pdf', name: 'a.pdf', contentType: 'application/pdf' }],
      inlineImages: [{ path: '/tmp/l.png', contentId: 'logo' }],
      inReplyTo: '<a@b>',
      references: ['<a@b>'],
      readReceipt: true,
      importance: 'low',
      customHeaders: [{ name: 'X-Tag', value: 'v' }],
    };
    assert.ok(MessageDraftSchema.safeParse(full).success);
  });
  it('rejects oversized or malformed fields', () => {
    const bad = [
      { ...minimal, subject: 'x'.repeat(2001) },
      { ...minimal, attachments: Array.from({ length: 101 }, () => ({ path: '/a' })) },
      { ...minimal, attachments: [{ path: '' }] },
      { ...minimal, attachments: [{ path: '/a', contentType: 'text/html\r\nX: y' }] },
      { ...minimal, importance: 'urgent' },
      { ...minimal, to: Array.from({ length: 1001 }, () => 'a@example.com') },
      { ...minimal, customHeaders: [{ name: '', value: 'v' }] },
      { from: { address: '' }, to: 'a@example.com' },
      { to: 'a@example.com' },
    ];
    for (const d of bad) assert.equal(MessageDraftSchema.safeParse(d).success, false, JSON.stringify(d).slice(0, 80));
  });
});
