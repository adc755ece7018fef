/**
 * The command line: the same engine, accounts, keychain entries and send log as the
 * desktop app. `main(argv, io)` is the whole program (testable without a process);
 * `run()` wires it to the real process. Exit codes follow sysexits (see common.ts).
 *
 * Test hooks for discovery and connection tests are environment variables, documented
 * in discover.ts (POSTBOTE_TEST_DNS, POSTBOTE_TEST_CA, POSTBOTE_TEST_CONNECT,
 * POSTBOTE_TEST_PORT_MAP, POSTBOTE_ISPDB_URL, POSTBOTE_NO_ISPDB).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { accountsCommand } from './accounts.js';
import { CliError, EX, createCtx, detectLang, wrap, type CliIo, type Ctx } from './common.js';
import { discoverCommand } from './discover.js';
import { logCommand } from './log.js';
import { probeCommand } from './probe.js';
import { errorJson, sendCommand, sendmailCommand } from './send.js';

export { EX, type CliIo } from './common.js';

const commands: Record<string, (ctx: Ctx, args: string[]) => Promise<number>> = {
  send: sendCommand,
  sendmail: sendmailCommand,
  probe: probeCommand,
  discover: discoverCommand,
  accounts: accountsCommand,
  account: accountsCommand,
  log: logCommand,
};

const VERSION = '0.1.0';

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function hasJson(args: readonly string[]): boolean {
  return args.includes('--json');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const lang = detectLang(argv, io.env);
  const langIndex = argv.findIndex((a) => a === '--lang');
  const badLang = (langIndex >= 0 && !['de', 'en'].includes(argv[langIndex + 1] ?? ''))
    || argv.some((a) => a.startsWith('--lang=') && !['--lang=de', '--lang=en'].includes(a));
  const [first, ...rest] = argv;
  const json = hasJson(argv);
  const ctx = createCtx(io, lang, json);
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? rest[0] : undefined;
    ctx.out(ctx.t(topic && commands[topic] ? `cli.help.${topic === 'account' ? 'accounts' : topic}` : 'cli.help.main'));
    return first === undefined ? EX.USAGE : EX.OK;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    ctx.out(`postbote ${VERSION}`);
    return EX.OK;
  }
  const command = commands[first];
  if (!command) {
    ctx.err(`${ctx.t('cli.label.error')}: ${ctx.t('cli.usage.unknownCommand', { command: first })}`);
    ctx.err(ctx.t('cli.action.seeHelp'));
    return EX.USAGE;
  }
  // A sendmail caller (git send-email, mutt) may pass "-h"-like options of its own after "--".
  if (wantsHelp(rest)) {
    ctx.out(ctx.t(`cli.help.${first === 'account' ? 'accounts' : first}`));
    return EX.OK;
  }
  try {
    if (badLang) throw new CliError(EX.USAGE, 'cli.usage.badLang', {}, 'usage');
    return await command(ctx, rest);
  } catch (e) {
    if (e instanceof CliError) {
      if (json) ctx.out(JSON.stringify(errorJson(ctx, e), null, 2));
      for (const line of wrap(`${ctx.t('cli.label.error')}: ${ctx.t(e.key, e.params)}`, 0)) ctx.err(line);
      if (e.code === EX.USAGE) ctx.err(ctx.t('cli.usage.helpHint', { command: first }));
      else if (e.code === EX.DATAERR) ctx.err(ctx.t('cli.send.nothingSent'));
      return e.code;
    }
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    if (json) ctx.out(JSON.stringify({ ok: false, error: { kind: 'internal', title: ctx.t('cli.internal'), message: e instanceof Error ? e.message : String(e) } }, null, 2));
    ctx.err(`${ctx.t('cli.label.error')}: ${ctx.t('cli.internal')}`);
    ctx.err(message);
    return EX.SOFTWARE;
  }
}

/** The real process: argv, stdio, environment; sets the exit code. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // Output piped into `head` that stops reading is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  }
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
  const code = await main(argv, io);
  // Let pending output drain, then leave: a lingering QUIT or keychain handle must not hold the process.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) void run();
