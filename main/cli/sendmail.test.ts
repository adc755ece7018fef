/**
 * The pieces of sendmail mode that need no server: reading sendmail's command line as
 * sendmail's getopt does, input without headers, recipients that differ only in the case of
 * their domain, and the headers sendmail adds. cli.test.ts sends through a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAddress, type ValidAddress } from '../../shared/address.js';
import { readRawMessage } from '../mime/index.js';
import { CliError, EX } from './common.js';
import { missingHeaders, parseSendmailArgs, recipientKey, startsWithHeader } from './send.js';

const usageKey = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CliError);
    assert.equal(e.code, EX.USAGE);
    return e.key;
  }
  return assert.fail('expected a usage error');
};

const valid = (a: string): ValidAddress => {
  const v = validateAddress(a);
  assert.ok(v.ok);
  return v.value;
};

test('sendmail options with a value consume it, attached or as the next argument; none becomes a recipient', () => {
  const a = parseSendmailArgs(['-oem', '-oi', '-o', 'i', '-B', '8BITMIME', '-N', 'never', '-X', '/tmp/log', '-O', 'DeliveryMode=b', '-bm',
    '-Vid1', '-R', 'hdrs', '-L', 'tag', '-C', '/etc/mail.cf', '-v', '-U', 'dave@example.test']);
  assert.deepEqual(a.recipients, ['dave@example.test']);
  assert.equal(a.readRecipients, false);
  assert.equal(a.envelopeFrom, undefined);
});

test('-f and -r set the envelope sender, -F the full name, grouped flags and -- work', () => {
  assert.equal(parseSendmailArgs(['-r', 'bounces@example.test', 'x@example.test']).envelopeFrom, 'bounces@example.test');
  assert.equal(parseSendmailArgs(['-fme@example.test', 'x@example.test']).envelopeFrom, 'me@example.test');
  assert.equal(parseSendmailArgs(['-F', 'Cron Daemon', 'x@example.test']).fullName, 'Cron Daemon');
  const grouped = parseSendmailArgs(['-ti', '--', '-odd@example.test']);
  assert.equal(grouped.readRecipients, true);
  assert.deepEqual(grouped.recipients, ['-odd@example.test']);
  const long = parseSendmailArgs(['--account', 'me@example.test', '--transcript', '--json', '-t']);
  assert.equal(long.account, 'me@example.test');
  assert.equal(long.transcript, true);
  assert.equal(parseSendmailArgs(['-a', 'work', '-t']).account, 'work');
});

test('modes other than -bm, unknown options and a missing value are usage errors', () => {
  assert.equal(usageKey(() => parseSendmailArgs(['-bs'])), 'cli.usage.sendmailMode');
  assert.equal(usageKey(() => parseSendmailArgs(['-bp'])), 'cli.usage.sendmailMode');
  assert.equal(usageKey(() => parseSendmailArgs(['-q'])), 'cli.usage.unknownOption');
  assert.equal(usageKey(() => parseSendmailArgs(['x@example.test', '-f'])), 'cli.usage.missingValue');
  assert.equal(usageKey(() => parseSendmailArgs(['--frobnicate'])), 'cli.usage.unknownOption');
});

test('input whose first line is no header field is a text without headers', () => {
  assert.equal(startsWithHeader(Buffer.from('hello world\n')), false);
  assert.equal(startsWithHeader(Buffer.from('hello world')), false);
  assert.equal(startsWithHeader(Buffer.from(' indented: no\n')), false);
  assert.equal(startsWithHeader(Buffer.from('Subject: cron output\n\nhello\n')), true);
  assert.equal(startsWithHeader(Buffer.from('X-Mailer : old style\r\n\r\n')), true);
  assert.equal(startsWithHeader(Buffer.from('From alice@example.test Thu Jan  1 00:00:00 2026\nSubject: x\n\n')), true);
  assert.equal(startsWithHeader(Buffer.from('\nbody only\n')), true);
  assert.equal(startsWithHeader(Buffer.from('')), true);
});

test('recipients compare with the domain in lower case and the local part as written', () => {
  assert.equal(recipientKey('Bob@EXAMPLE.test'), recipientKey('Bob@example.TEST'));
  assert.notEqual(recipientKey('Bob@example.test'), recipientKey('bob@example.test'));
});

test('From, Date and Message-ID are added only when missing; the Message-ID takes the author\'s domain', async () => {
  const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const bare = await readRawMessage('Subject: cron output\n\nhello\n');
  const added = missingHeaders(bare.info, { address: valid('cron@host.example.test'), name: 'Cron Daemon' }, now);
  assert.equal(added.addedFrom, true);
  assert.match(added.block, /^From: Cron Daemon <cron@host\.example\.test>\r\nDate: Fri, 02 Jan 2026 03:04:05 \+0000\r\nMessage-ID: <[a-z0-9]+\.[0-9a-f]{24}@host\.example\.test>\r\n$/);
  assert.equal(added.block.match(/Message-ID: (.*)\r\n/)?.[1], added.messageId);

  const full = await readRawMessage('From: Alice <alice@example.test>\nDate: Thu, 01 Jan 2026 00:00:00 +0000\nMessage-ID: <a@b>\nSubject: x\n\nhi\n');
  assert.deepEqual(missingHeaders(full.info, { address: valid('cron@host.example.test') }, now), { block: '', addedFrom: false });

  // The Message-ID's domain is the message's author's, not the account's.
  const fromOnly = await readRawMessage('From: alice@Example.TEST\n\nhi\n');
  const id = missingHeaders(fromOnly.info, { address: valid('cron@host.example.test') }, now);
  assert.equal(id.addedFrom, false);
  assert.match(id.messageId ?? '', /@example\.test>$/);

  // A full name outside ASCII becomes an encoded word.
  const utf8 = missingHeaders(bare.info, { address: valid('cron@example.test'), name: 'Jürgen Öl' }, now);
  assert.match(utf8.block, /^From: =\?UTF-8\?[BQ]\?.+\?= <cron@example\.test>\r\n/);
});
