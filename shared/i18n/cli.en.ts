/** English texts of the command line (main/cli). Keys: cli.*. */
export const cliEn: Record<string, string> = {
  'cli.label.error': 'Error',
  'cli.label.warning': 'Note',
  'cli.label.why': 'Why',
  'cli.label.whatToDo': 'What to do',
  'cli.label.technical': 'Technical details',
  'cli.label.accepted': 'Accepted',
  'cli.label.refused': 'Refused',
  'cli.label.messageId': 'Message-ID',
  'cli.label.queueId': 'Queue ID',
  'cli.label.server': 'Server',
  'cli.label.auth': 'Sign-in',
  'cli.label.duration': 'Time',
  'cli.label.logId': 'Send log',
  'cli.yes': 'yes',
  'cli.no': 'no',
  'cli.internal': 'Something went wrong inside Postbote. Nothing was sent. Please report this with the text below.',

  'cli.action.fixInput': 'Correct the input and run the command again. Nothing was sent.',
  'cli.action.seeHelp': 'See "postbote --help" or "postbote <command> --help".',
  'cli.action.fixConfig': 'Check the account or the settings given, then try again.',
  'cli.act.runAgainSoon': 'Run the command again in a few minutes; the server expects a second attempt.',
  'cli.act.runAgainLater': 'The trouble is on the server’s side: run the command again later.',
  'cli.act.runAgainOnline': 'Run the command again once the connection works.',
  'cli.act.runAgainAfterWait': 'Wait a little, then run the command again.',

  'cli.send.transcript': 'Conversation with the server (passwords removed):',
  'cli.send.sentOne': 'Sent.',
  'cli.send.sentAll': 'Sent to all {n} recipients.',
  'cli.send.sentSome': 'Sent to {n} of {total} recipients – the others were refused.',
  'cli.send.nothingSent': 'Nothing was sent.',
  'cli.send.seeLog': 'Details and the full conversation: postbote log show {id}',
  'cli.tls.none': 'not encrypted',

  'cli.usage.unknownCommand': 'There is no command "{command}".',
  'cli.usage.unknownOption': 'Unknown option {option}.',
  'cli.usage.missingValue': 'The option {option} needs a value.',
  'cli.usage.unexpectedArgument': 'Unexpected argument "{argument}".',
  'cli.usage.invalid': 'The command line could not be read: {message}',
  'cli.usage.helpHint': 'Usage: postbote {command} --help',
  'cli.usage.badLang': 'The language must be "de" or "en".',
  'cli.usage.passwordArgument':
    'A password is never accepted as a command-line argument: other users of this computer could read it in the process list and it would end up in your shell history. Pass it with --password-stdin or in the environment variable POSTBOTE_PASSWORD – or store it with "postbote accounts add". Nothing was sent.',
  'cli.usage.accountOrHost': 'Give either --account or --host, not both.',
  'cli.usage.hostMissing': '--port, --security and --user belong to ad-hoc settings: give --host as well.',
  'cli.usage.badSecurity': 'Unknown encryption "{value}". Use tls (implicit TLS, port 465), starttls (port 587) or none.',
  'cli.usage.badPort': '"{value}" is not a port number (1–65535).',
  'cli.usage.badHost': '"{value}" is not a server name.',
  'cli.usage.badAuth': 'Unknown sign-in method "{value}". Known: {list}.',
  'cli.usage.noPassword': 'A user name was given but no password. Pass it with --password-stdin or in POSTBOTE_PASSWORD.',
  'cli.usage.noPasswordAdd': 'The account needs its password to be tested and stored in the keychain. Pass it with --password-stdin or in POSTBOTE_PASSWORD. For a server that takes mail without sign-in (a local relay), use --no-auth.',
  'cli.usage.noAuthConflict': '--no-auth means the server takes mail without sign-in: leave out --user, --auth and --password-stdin.',
  'cli.usage.passwordWithoutUser': '--password-stdin needs --user as well.',
  'cli.usage.noRecipients': 'No recipient: give at least one --to, --cc or --bcc.',
  'cli.usage.textTwice': 'Give the text either with --text or with --text-file, not both.',
  'cli.usage.stdinTaken': 'Standard input already carried the password: give the text with --text or --text-file.',
  'cli.usage.noFrom': 'No sender: give --from (or --user with an e-mail address, or use a stored account).',
  'cli.usage.sendmailNoRecipients': 'No recipient: name them as arguments, or use -t to take them from the To, Cc and Bcc headers.',
  'cli.usage.sendmailMode': 'postbote sendmail only sends a message read from standard input; the mode {option} is not supported.',
  'cli.usage.probeTarget': 'Which server? For example: postbote probe smtp.example.com:587',
  'cli.usage.badTimeout': '"{value}" is not a usable time in seconds.',
  'cli.usage.discoverAddress': 'Which address? For example: postbote discover name@example.com',
  'cli.usage.accountRef': 'Which account? Give its address or its ID (see "postbote accounts list").',
  'cli.usage.accountsSub': 'Unknown accounts command "{sub}". Use list, add, test or remove.',
  'cli.usage.accountsAddAddress': 'Which address? For example: postbote accounts add name@example.com --password-stdin',
  'cli.usage.logSub': 'Unknown log command "{sub}". Use "postbote log" or "postbote log show <id>".',
  'cli.usage.logId': 'Which entry? Give its number, for example: postbote log show 12',
  'cli.usage.badLimit': '--limit must be a number from 1 to 500 (not "{value}").',
  'cli.usage.badSince': '"{value}" is not a time. Use for example 2h, 3d, 1w, today, yesterday or 2026-05-01.',

  'cli.input.unreadableFile': 'The {what} "{file}" cannot be read ({reason}).',
  'cli.input.stdinTooLarge': 'The input is larger than {max}.',
  'cli.input.unreadableCa': 'The CA certificate "{file}" cannot be read ({reason}).',
  'cli.input.notACertificate': 'The file "{file}" contains no PEM certificate (-----BEGIN CERTIFICATE-----).',
  'cli.input.badAddress': 'Invalid address in {field}: "{address}" – {reason}',
  'cli.input.noRecipientsInMessage': 'The message names no recipient (no To, Cc or Bcc header, and none on the command line).',
  'cli.input.badAccountAddress': '"{address}" is not an e-mail address.',
  'cli.input.refused': 'The input was refused: {message}',
  'cli.what.attachment': 'attachment',
  'cli.what.html': 'HTML file',
  'cli.what.text': 'text file',
  'cli.what.commandLine': 'the command line',
  'cli.what.message': 'the message',
  'cli.reason.ENOENT': 'no such file or folder',
  'cli.reason.EACCES': 'no permission to read it',
  'cli.reason.EISDIR': 'it is a folder, not a file',
  'cli.reason.ENOTDIR': 'a part of the path is not a folder',
  'cli.reason.ELOOP': 'too many symbolic links',
  'cli.reason.ENAMETOOLONG': 'the name is too long',
  'cli.reason.EMFILE': 'too many files are open',
  'cli.reason.EIO': 'the disk reported a read error',
  'cli.reason.other': 'system error {code}',
  'cli.reason.unknown': 'reason unknown',

  'cli.address.empty': 'the address is empty.',
  'cli.address.missingAt': 'an e-mail address needs an @ sign, as in name@example.com.',
  'cli.address.missingLocalPart': 'the part before the @ is missing.',
  'cli.address.missingDomain': 'the part after the @ is missing.',
  'cli.address.badLocalPart': 'the part before the @ is not valid like this.',
  'cli.address.localPartTooLong': 'the part before the @ is longer than 64 characters.',
  'cli.address.badDomain': 'the part after the @ is not a valid domain.',
  'cli.address.domainTooLong': 'the domain is too long.',
  'cli.address.tooLong': 'the address is too long.',
  'cli.address.unclosedQuote': 'a quotation mark is not closed.',
  'cli.address.unclosedComment': 'a bracket is not closed.',
  'cli.address.unclosedAngle': 'an angle bracket < is not closed.',
  'cli.address.unexpectedText': 'there is text that does not belong to an address.',
  'cli.address.nameTooLong': 'the name is too long.',
  'cli.address.listTooLong': 'the list of addresses is too long.',
  'cli.address.tooManyAddresses': 'there are too many addresses.',

  'cli.err.compose.headerInjection': 'The {field} field contains a line break; that could smuggle in extra header lines, so the message was refused.',
  'cli.err.compose.invalidAddress': 'Invalid address in {field}: "{address}" – {reason}',
  'cli.err.compose.smtpUtf8Required': 'The address {address} contains non-ASCII characters before the @, and the server cannot deliver those (no SMTPUTF8).',
  'cli.err.compose.noRecipients': 'The message has no recipient.',
  'cli.err.compose.attachmentNotFound': 'The attachment "{path}" cannot be read ({reason}).',
  'cli.err.compose.attachmentNotAFile': 'The attachment "{path}" is not a file (perhaps a folder).',
  'cli.err.compose.attachmentChanged': 'The attachment "{path}" changed while the message was being sent, so sending was stopped. Run the command again once the file is complete.',
  'cli.err.compose.invalidMessage': 'The message on standard input is not a valid e-mail message.',
  'cli.err.compose.invalidMessage.badHeaderLine': 'The message on standard input cannot be read: the line "{line}" stands among the header fields but is not one ("Name: value"). An empty line must separate the header fields from the text.',
  'cli.err.compose.invalidMessage.headerTooLarge': 'The message on standard input cannot be read: its header section is larger than {max}.',

  'cli.data.unusable': 'The data folder {dir} cannot be used: {reason}',
  'cli.account.none': 'No account is set up. Add one with "postbote accounts add <address>".',
  'cli.account.noneOrHost': 'No account is set up. Add one with "postbote accounts add <address>", or give the server with --host.',
  'cli.account.ambiguous': '"{ref}" matches several accounts; give more of the ID or the full address.',
  'cli.account.notFound': 'There is no account "{ref}". "postbote accounts list" shows the accounts.',
  'cli.account.noPassword': 'No password is stored in the keychain for {account}. Store it again with "postbote accounts add" or in the app.',

  'cli.probe.title': 'Server {host}, port {port}',
  'cli.probe.server': 'Server name',
  'cli.probe.security': 'Encryption',
  'cli.probe.unencrypted': 'everything is readable on the way',
  'cli.probe.tls': 'TLS',
  'cli.probe.certSubject': 'Certificate for',
  'cli.probe.certIssuer': 'Issued by',
  'cli.probe.certValid': 'Valid',
  'cli.probe.certNames': 'Names',
  'cli.probe.certFingerprint': 'SHA-256',
  'cli.probe.certVerified': 'Verified',
  'cli.probe.connectTime': 'Connected in',
  'cli.probe.capabilities': 'What the server offers (EHLO):',
  'cli.probe.heloOnly': 'Only the old HELO: no extensions, no encryption, no sign-in.',
  'cli.probe.noExtensions': 'No extensions.',
  'cli.probe.auth': 'Sign-in methods:',
  'cli.probe.noAuth': 'None offered. This server does not let mail programs sign in here (a receiving server for port 25, or sign-in is switched off).',
  'cli.probe.noAuthPlain': 'None offered without encryption. Many servers offer sign-in only after STARTTLS: try --security starttls.',
  'cli.probe.hintStartTls': 'The server offers STARTTLS: "postbote probe {host}:{port} --security starttls" shows what it offers once encrypted.',

  'cli.ext.SIZE.limit': 'Messages up to {size}',
  'cli.ext.SIZE.none': 'Message size is checked, no limit announced',
  'cli.ext.AUTH': 'Sign-in (see below)',
  'cli.ext.PIPELINING': 'Several commands per round trip (faster)',
  'cli.ext.8BITMIME': 'Text with umlauts without re-encoding',
  'cli.ext.SMTPUTF8': 'Addresses with non-ASCII characters',
  'cli.ext.CHUNKING': 'Message in chunks (BDAT)',
  'cli.ext.BINARYMIME': 'Binary message content',
  'cli.ext.DSN': 'Delivery status notifications on request',
  'cli.ext.ENHANCEDSTATUSCODES': 'Detailed error codes (like 5.1.1)',
  'cli.ext.STARTTLS': 'Can switch to encryption',
  'cli.ext.REQUIRETLS': 'Can require encryption all the way',
  'cli.ext.DELIVERBY': 'Delivery deadlines',
  'cli.ext.ETRN': 'Remote queue start',
  'cli.ext.VRFY': 'Address check (VRFY)',
  'cli.ext.EXPN': 'List expansion (EXPN)',
  'cli.ext.HELP': 'Help command',
  'cli.ext.MTRK': 'Message tracking',
  'cli.ext.FUTURERELEASE': 'Delayed delivery',
  'cli.ext.CLIENTID': 'Client identification',
  'cli.ext.LIMITS': 'Announces its limits',
  'cli.ext.XCLIENT': 'Proxy extension (Postfix)',
  'cli.ext.XFORWARD': 'Proxy extension (Postfix)',
  'cli.ext.other': 'Server-specific extension',

  'cli.mech.PLAIN': 'Password, sent inside the encryption',
  'cli.mech.PLAIN.unencrypted': 'Password, sent readable: this connection is not encrypted',
  'cli.mech.LOGIN': 'Password, sent inside the encryption (older form)',
  'cli.mech.LOGIN.unencrypted': 'Password, sent readable (older form): this connection is not encrypted',
  'cli.mech.CRAM-MD5': 'Password proof without sending the password (old, weak)',
  'cli.mech.SCRAM-SHA-256': 'Password proof without sending the password (modern)',
  'cli.mech.SCRAM-SHA-1': 'Password proof without sending the password',
  'cli.mech.XOAUTH2': 'Sign-in through the provider (OAuth)',
  'cli.mech.XOAUTH2.unencrypted': 'Sign-in through the provider (OAuth); the access token is sent readable: this connection is not encrypted',
  'cli.mech.OAUTHBEARER': 'Sign-in through the provider (OAuth, standard form)',
  'cli.mech.OAUTHBEARER.unencrypted': 'Sign-in through the provider (OAuth, standard form); the access token is sent readable: this connection is not encrypted',
  'cli.mech.DIGEST-MD5': 'Password proof (obsolete)',
  'cli.mech.NTLM': 'Windows sign-in (not supported by Postbote)',
  'cli.mech.GSSAPI': 'Kerberos (not supported by Postbote)',
  'cli.mech.ANONYMOUS': 'No sign-in',
  'cli.mech.other': 'Not supported by Postbote',

  'cli.discover.title': 'Settings for {address}',
  'cli.discover.provider': 'Provider',
  'cli.discover.server': 'Server',
  'cli.discover.security': 'Encryption',
  'cli.discover.user': 'User name',
  'cli.discover.trust': 'Confidence',
  'cli.discover.source': 'Source',
  'cli.discover.confirmedBy': 'also named by {sources}',
  'cli.discover.note': 'Note',
  'cli.discover.tried': 'What was tried:',
  'cli.discover.step': 'Step',
  'cli.discover.target': 'Where',
  'cli.discover.outcome': 'Result',
  'cli.discover.elapsed': 'Took {ms} ms.',
  'cli.step.preset': 'Preset',
  'cli.step.offlineTable': 'Provider database',
  'cli.step.autoconfig': 'Autoconfig',
  'cli.step.autoconfigWellKnown': 'Autoconfig (website)',
  'cli.step.autoconfigHttp': 'Autoconfig (HTTP)',
  'cli.step.ispdbOnline': 'Provider database online',
  'cli.step.srvSubmissions': 'DNS SRV (TLS)',
  'cli.step.srvSubmission': 'DNS SRV (STARTTLS)',
  'cli.step.mx': 'DNS MX',
  'cli.step.probe': 'Probe',

  'cli.accounts.empty': 'No accounts yet. Add one with: postbote accounts add <address> --password-stdin',
  'cli.accounts.inKeychain': 'in keychain',
  'cli.accounts.missing': 'missing',
  'cli.accounts.keychainUnknown': 'keychain not reachable',
  'cli.accounts.address': 'Address',
  'cli.accounts.password': 'Password',
  'cli.accounts.default': 'Default',
  'cli.accounts.defaultMark': '* = default account (used when no --account is given)',
  'cli.accounts.removed': 'Account {address} ({id}) removed, with its password in the keychain.',
  'cli.accounts.testOk': 'The connection for {address} works: signed in, nothing sent.',
  'cli.accounts.testOkNoAuth': 'The connection for {address} works (the server takes mail without sign-in); nothing sent.',
  'cli.accounts.noAuth': 'none (no user name)',
  'cli.accounts.giveHost': 'Give the server by hand: postbote accounts add <address> --host <server> --port <port> --security tls|starttls',
  'cli.accounts.testing': 'Testing {server} ({security}) …',
  'cli.accounts.added': 'Account {address} added.',
  'cli.accounts.storedInKeychain': 'stored in the keychain',
  'cli.accounts.noPasswordNeeded': 'none needed (no sign-in)',
  'cli.accounts.notTested': 'The connection was not tested (--no-test). Test it with: postbote accounts test',

  'cli.status.sent': 'sent',
  'cli.status.sentWithWarnings': 'partly sent',
  'cli.status.deferred': 'try again later',
  'cli.status.failed': 'failed',
  'cli.status.unconfirmed': 'unconfirmed',
  'cli.status.cancelled': 'cancelled',
  'cli.log.notFound': 'There is no send-log entry #{id}.',
  'cli.log.empty': 'The send log is empty.',
  'cli.log.emptyFiltered': 'No entry matches.',
  'cli.log.noSubject': '(no subject)',
  'cli.log.time': 'Time',
  'cli.log.status': 'Status',
  'cli.log.recipients': 'Recipients',
  'cli.log.subject': 'Subject',
  'cli.log.from': 'Sender',
  'cli.log.size': 'Size',
  'cli.log.more': 'Only the newest {n} are shown; use --limit for more.',
  'cli.log.showHint': 'Details of an entry: postbote log show <ID>',
  'cli.log.entryTitle': 'Send log #{id}: {status}',

  'cli.help.main': `Postbote – send e-mail from the command line, with the app's accounts and explanations.

Usage: postbote <command> [options]

Commands:
  send        Send one message (stored account or ad-hoc server settings)
  sendmail    Send a complete message from standard input (sendmail-compatible)
  probe       Show what an SMTP server offers: TLS, certificate, extensions, sign-in
  discover    Find the SMTP settings for an e-mail address
  accounts    List, add, test and remove accounts (list|add|test|remove)
  log         Show the send log; "log show <id>" with explanation and transcript

Options for every command:
  --json            Machine-readable output
  --lang de|en      Language (default: from LC_ALL, LC_MESSAGES or LANG)
  --data-dir DIR    Data folder (default: the app's; or POSTBOTE_DATA_DIR)
  -h, --help        Help for a command

Exit codes (as in sysexits.h):
  0   sent to every recipient
  64  usage error                     65  bad message input, nothing sent
  67  an address was refused (the others were accepted)
  69  failed for good: the same command will fail again (refused, sign-in failed …)
  75  temporary failure (network, busy server, 4xx reply): run the command again later
  76  unconfirmed: the connection broke after the message was handed over, so it may
      have been delivered – check before sending it again (scripts should not retry)
  78  configuration error (account, keychain, CA file)`,

  'cli.help.send': `Usage: postbote send [connection] [message]

Send one message now and say what happened.

Connection (a stored account, or ad-hoc settings):
  -a, --account ADDR|ID   Stored account (default: the default account)
  --host HOST             Server for ad-hoc settings
  --port N                Port (default: 465 with tls, 587 with starttls)
  --security MODE         tls | starttls | none (default: tls on 465, else starttls)
  --user NAME             Sign in with this user name
  --password-stdin        Read the password from the first line of standard input
                          (or set POSTBOTE_PASSWORD; never as an argument)
  --ca FILE               Trust this extra CA certificate (PEM)
  --auth MECH             Use this sign-in method (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 …)

Message:
  -f, --from ADDR         Sender (default: the account's address)
  --to ADDR               Recipient (repeatable; "A <a@x>, b@y" works too)
  --cc ADDR, --bcc ADDR   Copy / blind copy (repeatable)
  -s, --subject TEXT      Subject
  --text TEXT             Text; or --text-file FILE; otherwise standard input
  --html-file FILE        HTML part (a plain-text part is made from it)
  --attach FILE           Attachment (repeatable)

Output:
  --transcript            Show the conversation with the server (passwords removed)
  --json                  {"ok", "status", "accepted", "rejected", "messageId", "queueId", "tls", …}

Exit codes: see "postbote --help".

Examples:
  postbote send --to anna@example.com -s "Hello" --text "See you tomorrow"
  printf '%s\\n' "$PW" | postbote send --host smtp.example.com --user me@example.com \\
      --password-stdin --from me@example.com --to anna@example.com -s Test --text Hi`,

  'cli.help.sendmail': `Usage: postbote sendmail [-t] [-i] [-f FROM] [-F NAME] [--account ADDR|ID] [recipient …]

Read a complete message (RFC 5322) from standard input and send it with a stored account,
like sendmail or msmtp – for git send-email, mutt, cron and scripts. Uses the default
account unless --account is given. The Bcc header is removed from what is sent; line
endings become CRLF. Input whose first line is no header field is taken as the text of a
message without headers. Like sendmail, Postbote adds the From (the account's address),
Date and Message-ID headers when they are missing; nothing else in the message changes.

  -t                  Take the recipients from the To, Cc and Bcc headers
                      (recipients given as arguments are added; each gets one copy)
  -f FROM, -r FROM    Envelope sender (default: the account's address; "<>" for none)
  -F NAME             Full name in the From header Postbote adds (default: the account's)
  -a, --account A     Stored account, by address or ID
  -i, -oi             Accepted for compatibility (a lone "." never ends the message)
  -bm -v -U -n -m -G  Accepted and ignored
  -B TYPE  -N DSN  -O OPTION=VALUE  -oX  -X FILE  -C FILE  -L TAG  -R RET  -V ID
                      Accepted and ignored, together with their value
  --transcript        Show the conversation with the server
  --json              The outcome as JSON (same shape as "postbote send --json")

Exit codes as for "postbote send" (postbote --help); 76 means the message may have been
delivered: check before sending it again.

Example (git): git config sendemail.sendmailcmd "postbote sendmail"
Example (cron): echo "Backup done" | postbote sendmail admin@example.com`,

  'cli.help.probe': `Usage: postbote probe HOST[:PORT] [--security tls|starttls|none] [--ca FILE]

Connect, set up encryption, say EHLO and leave – without signing in. Shows the TLS
version, the certificate, the extensions and the sign-in methods, explained.

  --security MODE     tls | starttls | none (default: tls on 465, otherwise starttls)
  -p, --port N        Port (default: 465 with tls, 587 with starttls, 25 with none)
  --ca FILE           Trust this extra CA certificate (PEM)
  --timeout SECONDS   Give up after this long (default 15)
  --transcript        Show the conversation with the server
  --json              Machine-readable output`,

  'cli.help.discover': `Usage: postbote discover ADDRESS [--verbose] [--no-ispdb]

Find the SMTP settings for an e-mail address: Postbote's presets, the provider database,
the provider's autoconfig file, DNS SRV and MX records, and probing. Prints the
candidates best first, with where each came from.

  -v, --verbose       Also show everything that was tried
  --no-ispdb          Do not ask the online provider database (only the domain is sent)
  --timeout SECONDS   Overall time limit (default 6)
  --json              Machine-readable output`,

  'cli.help.accounts': `Usage: postbote accounts list|add|test|remove …

The same accounts the app shows; passwords live in the system keychain.

  accounts list                    List the accounts (* = default)
  accounts add ADDRESS [options]   Find the settings, test them, store the account
      --password-stdin             Password from standard input (or POSTBOTE_PASSWORD)
      --name NAME                  Display name
      --host H --port P --security tls|starttls   Settings by hand instead of discovery
      --user NAME --auth MECH --ca FILE           User name, sign-in method, extra CA
      --no-auth                    The server takes mail without sign-in (a local relay):
                                   no user name, no password
      --no-test                    Store without testing the connection
      --default                    Make it the default account
  accounts test ADDRESS|ID         Connect and sign in, send nothing
  accounts remove ADDRESS|ID       Remove the account and its keychain entry`,

  'cli.help.log': `Usage: postbote log [--failed] [--since TIME] [--search WORDS] [--limit N]
       postbote log show ID

The send log: every delivery attempt, newest first.

  --failed            Only failed, deferred, unconfirmed and partly sent messages
  --since TIME        2h, 3d, 1w, today, yesterday, 2026-05-01 …
  --search WORDS      In subject, recipients and error text
  -n, --limit N       At most N entries (default 20)
  -a, --account A     Only this account
  log show ID         One entry with explanation and the conversation with the server`,
};
