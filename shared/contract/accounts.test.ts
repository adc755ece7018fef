import { test, assert } from '../../main/testing/node-test.js';
import { accountMethods } from './accounts.js';
import { sendLogMethods } from './sendlog.js';

const input = { displayName: 'Erika', address: 'erika@example.de', host: 'smtp.example.de', port: 587, security: 'starttls' };

test('accounts.create refuses invalid fields at the IPC boundary, naming the field', () => {
  const args = accountMethods['accounts.create'].args;
  assert.equal(args.safeParse([input]).success, true);
  assert.equal(args.safeParse([input, 'secret']).success, true);
  for (const [bad, field] of [[{ port: 0 }, 'port'], [{ port: 70000 }, 'port'], [{ host: '' }, 'host'], [{ address: 'erika' }, 'address']] as const) {
    const r = args.safeParse([{ ...input, ...bad }]);
    assert.equal(r.success, false);
    assert.equal(r.error?.issues[0]?.path.at(-1), field);
  }
  assert.equal(args.safeParse([input, '']).success, false, 'an empty password is not a password');
});

test('no account result can carry a secret: unknown fields are stripped by the result schema', () => {
  const result = accountMethods['accounts.list'].result.parse([
    { ...input, id: 'a', isDefault: true, hasSecret: true, secretStatus: 'stored', createdAt: 1, updatedAt: 1, password: 'leak', secret: 'leak' },
  ]);
  assert.equal(JSON.stringify(result).includes('leak'), false);
  const one = accountMethods['accounts.setSecret'].result.parse({ ...input, id: 'a', isDefault: true, hasSecret: true, secretStatus: 'stored', createdAt: 1, updatedAt: 1, password: 'leak' });
  assert.equal('password' in one, false);
});

test('testConnection needs an account or settings; log.list limits pages to 500', () => {
  const tc = accountMethods['accounts.testConnection'].args;
  assert.equal(tc.safeParse([{}]).success, false);
  assert.equal(tc.safeParse([{ accountId: 'a' }]).success, true);
  assert.equal(tc.safeParse([{ settings: { host: 'h', port: 25, security: 'none' }, password: 'p' }]).success, true);
  const list = sendLogMethods['log.list'].args;
  assert.equal(list.safeParse([{ limit: 500 }]).success, true);
  assert.equal(list.safeParse([{ limit: 501 }]).success, false);
  assert.equal(list.safeParse([{}]).data?.[0].limit, 100);
});
