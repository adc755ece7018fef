import assert from 'node:assert/strict';
import test from 'node:test';
import { ScramSha256Client, chooseMechanism, createSaslClient, scramSha256Proof } from './sasl.js';

test('SCRAM-SHA-256: RFC 7677 §3 test vector', () => {
  const c = new ScramSha256Client('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
  assert.equal(Buffer.from(c.initial(), 'base64').toString(), 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const final = Buffer.from(c.step(Buffer.from(serverFirst)), 'base64').toString();
  assert.equal(final, 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
  c.finish(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='));
  const bad = new ScramSha256Client('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
  bad.initial();
  bad.step(Buffer.from(serverFirst));
  assert.throws(() => bad.finish(Buffer.from('v=AAAArRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')), /signature/);
  assert.throws(() => bad.finish(null), /prove/);
});

test('SCRAM refuses a server nonce that does not extend ours', () => {
  const c = new ScramSha256Client('user', 'pencil', 'abc');
  c.initial();
  assert.throws(() => c.step(Buffer.from('r=xyz123,s=AAAA,i=4096')), /nonce/);
  const proof = scramSha256Proof({ password: 'p', salt: Buffer.from('s'), iterations: 1, clientFirstBare: 'n=u,r=a', serverFirst: 'r=ab,s=cw==,i=1', combinedNonce: 'ab' });
  assert.equal(proof.proof.length, 32);
});

test('CRAM-MD5: RFC 2195 example', () => {
  const c = createSaslClient('CRAM-MD5', { username: 'tim', password: 'tanstaaftanstaaf' }, { host: 'h', port: 25 });
  const resp = c.step(Buffer.from('<1896.697170952@postoffice.reston.mci.net>'));
  assert.equal(Buffer.from(resp, 'base64').toString(), 'tim b913a602c7eda7a495b4e6e7334d3890');
});

test('PLAIN, LOGIN, XOAUTH2 encodings', () => {
  const creds = { username: 'alice', password: 'pw' };
  assert.equal(Buffer.from(createSaslClient('PLAIN', creds, { host: 'h', port: 1 }).initial() ?? '', 'base64').toString(), '\0alice\0pw');
  const login = createSaslClient('LOGIN', creds, { host: 'h', port: 1 });
  assert.equal(login.initial(), null);
  assert.equal(Buffer.from(login.step(Buffer.from('Username:')), 'base64').toString(), 'alice');
  assert.equal(Buffer.from(login.step(Buffer.from('Password:')), 'base64').toString(), 'pw');
  const x = createSaslClient('XOAUTH2', { username: 'a@b', accessToken: 'tok' }, { host: 'h', port: 1 });
  assert.equal(Buffer.from(x.initial() ?? '', 'base64').toString(), 'user=a@b\x01auth=Bearer tok\x01\x01');
});

test('strongest mutual mechanism; tokens never choose password mechanisms and vice versa', () => {
  assert.equal(chooseMechanism(['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'], { username: 'u', password: 'p' }), 'SCRAM-SHA-256');
  // Inside TLS PLAIN beats CRAM-MD5 (one round trip, hashed storage on the server); without TLS it is the other way round.
  assert.equal(chooseMechanism(['PLAIN', 'LOGIN', 'CRAM-MD5'], { username: 'u', password: 'p' }), 'PLAIN');
  assert.equal(chooseMechanism(['PLAIN', 'LOGIN', 'CRAM-MD5'], { username: 'u', password: 'p' }, { encrypted: false }), 'CRAM-MD5');
  assert.equal(chooseMechanism(['LOGIN', 'CRAM-MD5'], { username: 'u', password: 'p' }), 'LOGIN');
  assert.equal(chooseMechanism(['LOGIN', 'PLAIN'], { username: 'u', password: 'p' }), 'PLAIN');
  assert.equal(chooseMechanism(['PLAIN', 'XOAUTH2', 'OAUTHBEARER'], { username: 'u', accessToken: 't' }), 'OAUTHBEARER');
  assert.equal(chooseMechanism(['PLAIN'], { username: 'u', accessToken: 't' }), null);
  assert.equal(chooseMechanism(['XOAUTH2'], { username: 'u', password: 'p' }), null);
});
