import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitDelivered } from './postfix.js';

test('splitDelivered removes exactly the trace fields Postfix prepends and restores CRLF', () => {
  const original = 'Received: from client-side (hop before Postfix)\r\n\tfolded\r\nFrom: <a@postbote.test>\r\nSubject: x\r\n\r\nline\r\n.dot\r\n';
  const stored = 'Return-Path: <a@postbote.test>\nX-Original-To: b@postbote.test\nDelivered-To: b@postbote.test\n'
    + 'Received: from [127.0.0.1] (unknown [127.0.0.1])\n\tby mail.postbote.test (Postfix) with ESMTPSA id ABC123\n\tfor <b@postbote.test>; Mon, 1 Jun 2026 10:00:00 +0000 (UTC)\n'
    + original.replace(/\r\n/g, '\n');
  const split = splitDelivered(Buffer.from(stored));
  assert.equal(split.original.toString(), original);
  assert.equal(split.returnPath, 'a@postbote.test');
  assert.equal(split.deliveredTo, 'b@postbote.test');
  assert.match(split.trace, /^Return-Path: .*\n[\s\S]*id ABC123\n\tfor <b@postbote\.test>; .*\n$/);
});

test('splitDelivered keeps a message without trace fields as it is (apart from CRLF)', () => {
  const split = splitDelivered(Buffer.from('Subject: y\n\nbody'));
  assert.equal(split.original.toString(), 'Subject: y\r\n\r\nbody');
  assert.equal(split.trace, '');
});
