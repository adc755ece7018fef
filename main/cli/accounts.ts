/**
 * `postbote accounts list|add|test|remove`: the same accounts the app shows, passwords in
 * the same keychain entries. `add` runs discovery and the connection test before saving.
 */
import { isPlausibleAddress, type Account } from '../../shared/account.js';
import { AuthMechanismSchema, type SmtpSettings } from '../../shared/domain.js';
import type { AppError } from '../../shared/errors.js';
import { testConnection, type ConnectionTestResult } from '../autoconfig/index.js';
import { explainDeliveryError } from '../errors/explain.js';
import { createAccountsService } from '../services/accounts-service.js';
import { isStoreError, type StoredAccount } from '../store/index.js';
import {
  CliError, EX, appErrorText, columns, explanationLines, failureExitCode, formatMs, parse, readAll, refusePasswordArgument, securityLabel, table, usage,
  type Ctx,
} from './common.js';
import { dataDirOf, findAccount, openData, type DataFolder } from './data.js';
import { engineOptions, runDiscovery, sourceWords, testHooks } from './discover.js';
import { defaultPort, parsePort, parseSecurity, readCa } from './send.js';

export const accountsOptions = {
  name: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  auth: { type: 'string' },
  ca: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'no-test': { type: 'boolean' },
  'no-auth': { type: 'boolean' },
  'no-ispdb': { type: 'boolean' },
  default: { type: 'boolean' },
} as const;

function storeFailure(e: unknown): never {
  if (isStoreError(e)) {
    const code = e.appError.kind.startsWith('keychain.') || e.appError.kind === 'account.notFound' ? EX.CONFIG : e.appError.kind === 'account.invalid' ? EX.DATAERR : EX.SOFTWARE;
    throw new CliError(code, e.appError.messageKey, e.appError.params ?? {}, e.appError.kind);
  }
  throw e;
}

function accountJson(a: Account | StoredAccount, hasSecret?: boolean): Record<string, unknown> {
  const { extraCaPem, ...rest } = a as StoredAccount & { hasSecret?: boolean };
  return { ...rest, extraCa: extraCaPem !== undefined, ...(hasSecret !== undefined ? { hasSecret } : {}) };
}

export async function accountsCommand(ctx: Ctx, args: string[]): Promise<number> {
  refusePasswordArgument(args);
  const { values, positionals } = parse(args, accountsOptions, true);
  const [sub, ...rest] = positionals;
  const data = openData(dataDirOf(values['data-dir'], ctx.io.env));
  try {
    const service = createAccountsService({
      db: data.db, secrets: data.secrets,
      testConnection: async () => { throw new Error('not used'); },
    });
    switch (sub ?? 'list') {
      case 'list': {
        if (rest.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: rest[0] ?? '' });
        // Without a keychain the service still lists them, their password state 'unknown'.
        const list: Account[] = await service['accounts.list']();
        if (ctx.json) {
          ctx.out(JSON.stringify({ ok: true, accounts: list.map((a) => accountJson(a)) }, null, 2));
          return EX.OK;
        }
        if (list.length === 0) {
          ctx.out(ctx.t('cli.accounts.empty'));
          return EX.OK;
        }
        const rows = list.map((a) => [
          a.isDefault ? '*' : '', a.id.slice(0, 8), a.address, `${a.host}:${a.port}`, securityLabel(a.security), a.username ?? '—',
          a.username === undefined ? '—' : a.secretStatus === 'unknown' ? ctx.t('cli.accounts.keychainUnknown')
            : a.hasSecret ? ctx.t('cli.accounts.inKeychain') : ctx.t('cli.accounts.missing'),
        ]);
        for (const l of columns(['', 'ID', ctx.t('cli.accounts.address'), ctx.t('cli.discover.server'), ctx.t('cli.discover.security'), ctx.t('cli.discover.user'), ctx.t('cli.accounts.password')], rows)) ctx.out(l);
        ctx.out();
        ctx.out(ctx.t('cli.accounts.defaultMark'));
        return EX.OK;
      }
      case 'add':
        return await add(ctx, data, service, values, rest);
      case 'test': {
        const [ref, ...more] = rest;
        if (more.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: more[0] ?? '' });
        const account = findAccount(data.repos, ref);
        let password: string | undefined;
        if (account.username !== undefined) {
          try {
            password = await data.secrets.get(account.id, 'password');
          } catch (e) {
            storeFailure(e);
          }
          if (password === undefined) throw new CliError(EX.CONFIG, 'cli.account.noPassword', { account: account.address }, 'config.noPassword');
        }
        const settings: SmtpSettings = {
          host: account.host, port: account.port, security: account.security,
          ...(account.authMechanism ? { authMechanism: account.authMechanism } : {}),
          ...(account.username !== undefined ? { username: account.username } : {}),
          ...(account.extraCaPem ? { extraCaPem: account.extraCaPem } : {}),
          ...(account.allowInsecureAuthOnLoopback ? { allowInsecureAuthOnLoopback: true } : {}),
        };
        const result = await testConnection(settings, password ?? '', engineOptions(testHooks(ctx)));
        return reportTest(ctx, account.address, settings, result);
      }
      case 'remove': {
        const [ref, ...more] = rest;
        if (!ref) throw usage('cli.usage.accountRef');
        if (more.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: more[0] ?? '' });
        const account = findAccount(data.repos, ref);
        try {
          await service['accounts.delete'](account.id);
        } catch (e) {
          storeFailure(e);
        }
        if (ctx.json) ctx.out(JSON.stringify({ ok: true, removed: account.id, address: account.address }, null, 2));
        else ctx.out(ctx.t('cli.accounts.removed', { address: account.address, id: account.id.slice(0, 8) }));
        return EX.OK;
      }
      default:
        throw usage('cli.usage.accountsSub', { sub: sub ?? '' });
    }
  } finally {
    data.close();
  }
}

function reportTest(ctx: Ctx, address: string, settings: SmtpSettings, result: ConnectionTestResult): number {
  if (result.ok) {
    if (ctx.json) {
      ctx.out(JSON.stringify({ ok: true, address, host: settings.host, port: settings.port, security: settings.security,
        tls: result.tls ? { protocol: result.tls.protocol, cipher: result.tls.cipher } : null, authMechanism: result.authMechanism,
        durationMs: result.timings.open ?? null, error: null }, null, 2));
      return EX.OK;
    }
    ctx.out(ctx.t(settings.username === undefined ? 'cli.accounts.testOkNoAuth' : 'cli.accounts.testOk', { address }));
    for (const l of table([
      [ctx.t('cli.label.server'), `${settings.host}:${settings.port} (${securityLabel(settings.security)})`],
      [ctx.t('cli.probe.tls'), result.tls ? `${result.tls.protocol}, ${result.tls.cipher}` : ctx.t('cli.tls.none')],
      [ctx.t('cli.label.auth'), result.authMechanism ?? ctx.t('cli.accounts.noAuth')],
      [ctx.t('cli.probe.connectTime'), result.timings.open !== undefined ? formatMs(result.timings.open, ctx.lang) : null],
    ])) ctx.out(l);
    return EX.OK;
  }
  return reportFailure(ctx, result.error, settings);
}

function reportFailure(ctx: Ctx, error: AppError, settings: SmtpSettings): number {
  const expl = explainDeliveryError({ detail: error.detail ?? { phase: 'internal', cause: 'unknown', message: appErrorText(ctx, error) }, mayHaveBeenDelivered: false },
    { account: { host: settings.host, port: settings.port, security: settings.security } });
  const code = failureExitCode(expl);
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: false, host: settings.host, port: settings.port, security: settings.security,
      error: { kind: expl.kind, phase: expl.technical.phase, code: expl.technical.code ?? null, enhancedCode: expl.technical.enhancedCode ?? null,
        serverText: expl.technical.serverText ?? null, retryable: code === EX.TEMPFAIL } }, null, 2));
  } else for (const l of explanationLines(ctx, expl)) ctx.err(l);
  return code;
}

type AccountsService = ReturnType<typeof createAccountsService>;
type Values = ReturnType<typeof parse<typeof accountsOptions>>['values'];

async function add(ctx: Ctx, data: DataFolder, service: AccountsService, values: Values, rest: string[]): Promise<number> {
  const [address, ...more] = rest;
  if (!address) throw usage('cli.usage.accountsAddAddress');
  if (more.length > 0) throw usage('cli.usage.unexpectedArgument', { argument: more[0] ?? '' });
  if (!isPlausibleAddress(address.trim())) throw new CliError(EX.DATAERR, 'cli.input.badAccountAddress', { address }, 'input.invalidAddress');
  let auth: SmtpSettings['authMechanism'];
  if (values.auth !== undefined) {
    const m = AuthMechanismSchema.safeParse(values.auth.toUpperCase());
    if (!m.success) throw usage('cli.usage.badAuth', { value: values.auth, list: AuthMechanismSchema.options.join(', ') });
    auth = m.data;
  }
  const extraCaPem = values.ca !== undefined ? readCa(ctx, values.ca) : undefined;
  // A local relay (Postfix on localhost, a company smarthost that trusts its network) takes
  // mail without sign-in: no user name, no password, nothing in the keychain — as in the app.
  const noAuth = values['no-auth'] === true;
  if (noAuth && (values.user !== undefined || values.auth !== undefined || values['password-stdin'])) throw usage('cli.usage.noAuthConflict');
  let password: string | undefined;
  if (!noAuth) {
    password = values['password-stdin'] ? ((await readAll(ctx.io.stdin, 65536)).toString('utf8').split(/\r?\n/)[0] ?? '') : ctx.io.env.POSTBOTE_PASSWORD;
    if (!password) throw usage('cli.usage.noPasswordAdd');
  }
  const signIn = (username: string): { username?: string } => (noAuth ? {} : { username });

  // Which settings to try: the ones given, or the discovered candidates in their order.
  const tries: Array<{ settings: SmtpSettings; providerId?: string; source?: string }> = [];
  if (values.host !== undefined) {
    const portOpt = parsePort(values.port);
    const security = parseSecurity(values.security, portOpt);
    tries.push({ settings: {
      host: values.host, port: portOpt ?? defaultPort(security), security, ...signIn(values.user ?? address.trim()),
      ...(auth ? { authMechanism: auth } : {}), ...(extraCaPem ? { extraCaPem } : {}),
    } });
  } else {
    if (values.port !== undefined || values.security !== undefined) throw usage('cli.usage.hostMissing');
    const r = await runDiscovery(ctx, address, { noIspDb: values['no-ispdb'] === true, dataDir: values['data-dir'] });
    if (r.candidates.length === 0) {
      if (ctx.json) ctx.out(JSON.stringify({ ok: false, error: { kind: `discovery.${r.status}`, title: ctx.t(r.messageKey, { domain: r.domain }) } }, null, 2));
      else {
        ctx.err(`${ctx.t('cli.label.error')}: ${ctx.t(r.messageKey, { domain: r.domain })}`);
        ctx.err(ctx.t('cli.accounts.giveHost'));
      }
      return EX.UNAVAILABLE;
    }
    for (const c of r.candidates.slice(0, 4)) {
      tries.push({
        settings: {
          host: c.host, port: c.port, security: c.security, ...signIn(values.user ?? c.username),
          ...(auth ? { authMechanism: auth } : {}), ...(extraCaPem ? { extraCaPem } : {}),
        },
        ...(c.providerId ? { providerId: c.providerId } : {}),
        source: sourceWords(ctx, c),
      });
    }
  }

  let chosen = tries[0];
  let result: ConnectionTestResult | null = null;
  if (values['no-test'] !== true) {
    const opts = engineOptions(testHooks(ctx));
    chosen = undefined;
    for (const t of tries) {
      if (!ctx.json) ctx.err(ctx.t('cli.accounts.testing', { server: `${t.settings.host}:${t.settings.port}`, security: securityLabel(t.settings.security) }));
      result = await testConnection(t.settings, password ?? '', opts);
      if (result.ok) {
        chosen = t;
        break;
      }
      // A refused password will be refused by the next server of the same provider too.
      if (result.error.detail?.phase === 'auth') break;
    }
    if (!chosen || !result?.ok) {
      const last = tries[tries.length - 1];
      if (result && !result.ok && last) {
        const failed = result.error;
        const where = tries.find((t) => t.settings.host === failed.params?.host && t.settings.port === failed.params?.port)?.settings ?? last.settings;
        return reportFailure(ctx, failed, where);
      }
      return EX.UNAVAILABLE;
    }
  }
  if (!chosen) return EX.UNAVAILABLE;
  let created: Account;
  try {
    created = await service['accounts.create']({
      ...chosen.settings,
      displayName: values.name ?? '',
      address: address.trim(),
      ...(chosen.providerId ? { providerId: chosen.providerId } : {}),
    }, password);
    if (values.default) created = await service['accounts.setDefault'](created.id);
  } catch (e) {
    storeFailure(e);
  }
  if (ctx.json) {
    ctx.out(JSON.stringify({ ok: true, account: accountJson(created), tested: result?.ok === true, authMechanism: result?.ok ? result.authMechanism : null }, null, 2));
    return EX.OK;
  }
  ctx.out(ctx.t('cli.accounts.added', { address: created.address }));
  for (const l of table([
    ['ID', created.id],
    [ctx.t('cli.label.server'), `${created.host}:${created.port} (${securityLabel(created.security)})`],
    [ctx.t('cli.discover.user'), created.username ?? '—'],
    [ctx.t('cli.label.auth'), result?.ok ? result.authMechanism : null],
    [ctx.t('cli.discover.source'), chosen.source ?? null],
    [ctx.t('cli.accounts.password'), ctx.t(password === undefined ? 'cli.accounts.noPasswordNeeded' : 'cli.accounts.storedInKeychain')],
    [ctx.t('cli.accounts.default'), created.isDefault ? ctx.t('cli.yes') : ctx.t('cli.no')],
  ])) ctx.out(l);
  if (values['no-test']) ctx.out(`\n${ctx.t('cli.accounts.notTested')}`);
  return EX.OK;
}
