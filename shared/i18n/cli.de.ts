/** Deutsche Texte der Kommandozeile (main/cli). Schlüssel: cli.*. */
export const cliDe: Record<string, string> = {
  'cli.label.error': 'Fehler',
  'cli.label.warning': 'Hinweis',
  'cli.label.why': 'Warum',
  'cli.label.whatToDo': 'Was Sie tun können',
  'cli.label.technical': 'Technische Details',
  'cli.label.accepted': 'Angenommen',
  'cli.label.refused': 'Abgelehnt',
  'cli.label.messageId': 'Message-ID',
  'cli.label.queueId': 'Queue-ID',
  'cli.label.server': 'Server',
  'cli.label.auth': 'Anmeldung',
  'cli.label.duration': 'Dauer',
  'cli.label.logId': 'Versandprotokoll',
  'cli.yes': 'ja',
  'cli.no': 'nein',
  'cli.internal': 'In Postbote ist ein interner Fehler aufgetreten. Es wurde nichts gesendet. Bitte melden Sie ihn mit dem Text unten.',

  'cli.action.fixInput': 'Korrigieren Sie die Eingabe und rufen Sie den Befehl erneut auf. Es wurde nichts gesendet.',
  'cli.action.seeHelp': 'Siehe „postbote --help“ oder „postbote <Befehl> --help“.',
  'cli.action.fixConfig': 'Prüfen Sie das Konto oder die angegebenen Einstellungen und versuchen Sie es erneut.',
  'cli.act.runAgainSoon': 'Rufen Sie den Befehl in einigen Minuten erneut auf; der Server erwartet einen zweiten Versuch.',
  'cli.act.runAgainLater': 'Das Problem liegt beim Server: Rufen Sie den Befehl später erneut auf.',
  'cli.act.runAgainOnline': 'Rufen Sie den Befehl erneut auf, sobald die Verbindung wieder funktioniert.',
  'cli.act.runAgainAfterWait': 'Warten Sie etwas und rufen Sie den Befehl dann erneut auf.',

  'cli.send.transcript': 'Gespräch mit dem Server (Passwörter entfernt):',
  'cli.send.sentOne': 'Gesendet.',
  'cli.send.sentAll': 'An alle {n} Empfänger gesendet.',
  'cli.send.sentSome': 'An {n} von {total} Empfängern gesendet – die übrigen wurden abgelehnt.',
  'cli.send.nothingSent': 'Es wurde nichts gesendet.',
  'cli.send.seeLog': 'Details und das vollständige Gespräch: postbote log show {id}',
  'cli.tls.none': 'unverschlüsselt',

  'cli.usage.unknownCommand': 'Einen Befehl „{command}“ gibt es nicht.',
  'cli.usage.unknownOption': 'Unbekannte Option {option}.',
  'cli.usage.missingValue': 'Die Option {option} braucht einen Wert.',
  'cli.usage.unexpectedArgument': 'Unerwartetes Argument „{argument}“.',
  'cli.usage.invalid': 'Die Befehlszeile ist so nicht lesbar: {message}',
  'cli.usage.helpHint': 'Aufruf: postbote {command} --help',
  'cli.usage.badLang': 'Die Sprache muss „de“ oder „en“ sein.',
  'cli.usage.passwordArgument':
    'Ein Passwort wird nie als Argument auf der Befehlszeile angenommen: Andere Benutzer dieses Rechners könnten es in der Prozessliste lesen, und es landet in Ihrer Shell-Historie. Übergeben Sie es mit --password-stdin oder in der Umgebungsvariable POSTBOTE_PASSWORD – oder speichern Sie es mit „postbote accounts add“. Es wurde nichts gesendet.',
  'cli.usage.accountOrHost': 'Geben Sie entweder --account oder --host an, nicht beides.',
  'cli.usage.hostMissing': '--port, --security und --user gehören zu Einstellungen von Hand: Geben Sie auch --host an.',
  'cli.usage.badSecurity': 'Unbekannte Verschlüsselung „{value}“. Möglich sind tls (direkt TLS, Port 465), starttls (Port 587) oder none.',
  'cli.usage.badPort': '„{value}“ ist keine Portnummer (1–65535).',
  'cli.usage.badHost': '„{value}“ ist kein Servername.',
  'cli.usage.badAuth': 'Unbekanntes Anmeldeverfahren „{value}“. Bekannt sind: {list}.',
  'cli.usage.noPassword': 'Ein Benutzername ist angegeben, aber kein Passwort. Übergeben Sie es mit --password-stdin oder in POSTBOTE_PASSWORD.',
  'cli.usage.noPasswordAdd': 'Das Konto braucht sein Passwort, um es zu testen und im Schlüsselbund zu speichern. Übergeben Sie es mit --password-stdin oder in POSTBOTE_PASSWORD. Für einen Server, der Mail ohne Anmeldung annimmt (ein lokales Relay), geben Sie --no-auth an.',
  'cli.usage.noAuthConflict': '--no-auth heißt, dass der Server Mail ohne Anmeldung annimmt: Lassen Sie --user, --auth und --password-stdin weg.',
  'cli.usage.passwordWithoutUser': '--password-stdin braucht auch --user.',
  'cli.usage.noRecipients': 'Kein Empfänger: Geben Sie mindestens ein --to, --cc oder --bcc an.',
  'cli.usage.textTwice': 'Geben Sie den Text entweder mit --text oder mit --text-file an, nicht beides.',
  'cli.usage.stdinTaken': 'Über die Standardeingabe kam schon das Passwort: Geben Sie den Text mit --text oder --text-file an.',
  'cli.usage.noFrom': 'Kein Absender: Geben Sie --from an (oder --user mit einer E-Mail-Adresse, oder nutzen Sie ein gespeichertes Konto).',
  'cli.usage.sendmailNoRecipients': 'Kein Empfänger: Nennen Sie sie als Argumente, oder übernehmen Sie sie mit -t aus den Kopfzeilen To, Cc und Bcc.',
  'cli.usage.sendmailMode': 'postbote sendmail sendet nur eine Nachricht von der Standardeingabe; die Betriebsart {option} wird nicht unterstützt.',
  'cli.usage.probeTarget': 'Welcher Server? Zum Beispiel: postbote probe smtp.example.com:587',
  'cli.usage.badTimeout': '„{value}“ ist keine brauchbare Zeit in Sekunden.',
  'cli.usage.discoverAddress': 'Welche Adresse? Zum Beispiel: postbote discover name@example.com',
  'cli.usage.accountRef': 'Welches Konto? Geben Sie die Adresse oder die ID an (siehe „postbote accounts list“).',
  'cli.usage.accountsSub': 'Unbekannter Kontobefehl „{sub}“. Möglich sind list, add, test und remove.',
  'cli.usage.accountsAddAddress': 'Welche Adresse? Zum Beispiel: postbote accounts add name@example.com --password-stdin',
  'cli.usage.logSub': 'Unbekannter Protokollbefehl „{sub}“. Möglich sind „postbote log“ und „postbote log show <ID>“.',
  'cli.usage.logId': 'Welcher Eintrag? Geben Sie seine Nummer an, zum Beispiel: postbote log show 12',
  'cli.usage.badLimit': '--limit muss eine Zahl von 1 bis 500 sein (nicht „{value}“).',
  'cli.usage.badSince': '„{value}“ ist keine Zeitangabe. Möglich sind etwa 2h, 3d, 1w, heute, gestern oder 2026-05-01.',

  'cli.input.unreadableFile': 'Die Datei „{file}“ ({what}) kann nicht gelesen werden ({reason}).',
  'cli.input.stdinTooLarge': 'Die Eingabe ist größer als {max}.',
  'cli.input.unreadableCa': 'Das CA-Zertifikat „{file}“ kann nicht gelesen werden ({reason}).',
  'cli.input.notACertificate': 'Die Datei „{file}“ enthält kein PEM-Zertifikat (-----BEGIN CERTIFICATE-----).',
  'cli.input.badAddress': 'Ungültige Adresse in {field}: „{address}“ – {reason}',
  'cli.input.noRecipientsInMessage': 'Die Nachricht nennt keinen Empfänger (keine Kopfzeile To, Cc oder Bcc und keiner auf der Befehlszeile).',
  'cli.input.badAccountAddress': '„{address}“ ist keine E-Mail-Adresse.',
  'cli.input.refused': 'Die Eingabe wurde abgelehnt: {message}',
  'cli.what.attachment': 'Anhang',
  'cli.what.html': 'HTML-Datei',
  'cli.what.text': 'Textdatei',
  'cli.what.commandLine': 'der Befehlszeile',
  'cli.what.message': 'der Nachricht',
  'cli.reason.ENOENT': 'die Datei oder der Ordner existiert nicht',
  'cli.reason.EACCES': 'keine Leseberechtigung',
  'cli.reason.EISDIR': 'das ist ein Ordner, keine Datei',
  'cli.reason.ENOTDIR': 'ein Teil des Pfads ist kein Ordner',
  'cli.reason.ELOOP': 'zu viele symbolische Verknüpfungen',
  'cli.reason.ENAMETOOLONG': 'der Name ist zu lang',
  'cli.reason.EMFILE': 'zu viele Dateien sind geöffnet',
  'cli.reason.EIO': 'das Laufwerk meldet einen Lesefehler',
  'cli.reason.other': 'Systemfehler {code}',
  'cli.reason.unknown': 'Grund unbekannt',

  'cli.address.empty': 'die Adresse ist leer.',
  'cli.address.missingAt': 'einer E-Mail-Adresse fehlt das @-Zeichen, etwa name@beispiel.de.',
  'cli.address.missingLocalPart': 'der Teil vor dem @ fehlt.',
  'cli.address.missingDomain': 'der Teil nach dem @ fehlt.',
  'cli.address.badLocalPart': 'der Teil vor dem @ ist so nicht gültig.',
  'cli.address.localPartTooLong': 'der Teil vor dem @ ist länger als 64 Zeichen.',
  'cli.address.badDomain': 'der Teil nach dem @ ist keine gültige Domain.',
  'cli.address.domainTooLong': 'die Domain ist zu lang.',
  'cli.address.tooLong': 'die Adresse ist zu lang.',
  'cli.address.unclosedQuote': 'ein Anführungszeichen ist nicht geschlossen.',
  'cli.address.unclosedComment': 'eine Klammer ist nicht geschlossen.',
  'cli.address.unclosedAngle': 'eine spitze Klammer < ist nicht geschlossen.',
  'cli.address.unexpectedText': 'dort steht Text, der nicht zu einer Adresse gehört.',
  'cli.address.nameTooLong': 'der Name ist zu lang.',
  'cli.address.listTooLong': 'die Adressliste ist zu lang.',
  'cli.address.tooManyAddresses': 'es sind zu viele Adressen.',

  'cli.err.compose.headerInjection': 'Das Feld {field} enthält einen Zeilenumbruch; damit ließen sich fremde Kopfzeilen einschleusen, deshalb wurde die Nachricht abgelehnt.',
  'cli.err.compose.invalidAddress': 'Ungültige Adresse in {field}: „{address}“ – {reason}',
  'cli.err.compose.smtpUtf8Required': 'Die Adresse {address} enthält vor dem @ Zeichen außerhalb von ASCII, und der Server kann solche nicht zustellen (kein SMTPUTF8).',
  'cli.err.compose.noRecipients': 'Die Nachricht hat keinen Empfänger.',
  'cli.err.compose.attachmentNotFound': 'Der Anhang „{path}“ kann nicht gelesen werden ({reason}).',
  'cli.err.compose.attachmentNotAFile': 'Der Anhang „{path}“ ist keine Datei (vielleicht ein Ordner).',
  'cli.err.compose.attachmentChanged': 'Der Anhang „{path}“ hat sich während des Sendens verändert, deshalb wurde das Senden abgebrochen. Rufen Sie den Befehl erneut auf, sobald die Datei vollständig ist.',
  'cli.err.compose.invalidMessage': 'Die Nachricht auf der Standardeingabe ist keine gültige E-Mail.',
  'cli.err.compose.invalidMessage.badHeaderLine': 'Die Nachricht auf der Standardeingabe ist nicht lesbar: Die Zeile „{line}“ steht zwischen den Kopfzeilen, ist aber keine („Name: Wert“). Zwischen den Kopfzeilen und dem Text muss eine Leerzeile stehen.',
  'cli.err.compose.invalidMessage.headerTooLarge': 'Die Nachricht auf der Standardeingabe ist nicht lesbar: Der Kopfbereich ist größer als {max}.',

  'cli.data.unusable': 'Der Datenordner {dir} ist nicht nutzbar: {reason}',
  'cli.account.none': 'Es ist kein Konto eingerichtet. Legen Sie eines mit „postbote accounts add <Adresse>“ an.',
  'cli.account.noneOrHost': 'Es ist kein Konto eingerichtet. Legen Sie eines mit „postbote accounts add <Adresse>“ an, oder geben Sie den Server mit --host an.',
  'cli.account.ambiguous': '„{ref}“ passt zu mehreren Konten; geben Sie mehr von der ID oder die ganze Adresse an.',
  'cli.account.notFound': 'Ein Konto „{ref}“ gibt es nicht. „postbote accounts list“ zeigt die Konten.',
  'cli.account.noPassword': 'Für {account} ist kein Passwort im Schlüsselbund gespeichert. Speichern Sie es erneut mit „postbote accounts add“ oder in der App.',

  'cli.probe.title': 'Server {host}, Port {port}',
  'cli.probe.server': 'Servername',
  'cli.probe.security': 'Verschlüsselung',
  'cli.probe.unencrypted': 'alles ist unterwegs mitlesbar',
  'cli.probe.tls': 'TLS',
  'cli.probe.certSubject': 'Zertifikat für',
  'cli.probe.certIssuer': 'Ausgestellt von',
  'cli.probe.certValid': 'Gültig',
  'cli.probe.certNames': 'Namen',
  'cli.probe.certFingerprint': 'SHA-256',
  'cli.probe.certVerified': 'Geprüft',
  'cli.probe.connectTime': 'Verbunden in',
  'cli.probe.capabilities': 'Was der Server anbietet (EHLO):',
  'cli.probe.heloOnly': 'Nur das alte HELO: keine Erweiterungen, keine Verschlüsselung, keine Anmeldung.',
  'cli.probe.noExtensions': 'Keine Erweiterungen.',
  'cli.probe.auth': 'Anmeldeverfahren:',
  'cli.probe.noAuth': 'Keine angeboten. Hier können sich Mailprogramme nicht anmelden (ein empfangender Server für Port 25, oder die Anmeldung ist abgeschaltet).',
  'cli.probe.noAuthPlain': 'Ohne Verschlüsselung keine angeboten. Viele Server bieten die Anmeldung erst nach STARTTLS an: Versuchen Sie --security starttls.',
  'cli.probe.hintStartTls': 'Der Server bietet STARTTLS an: „postbote probe {host}:{port} --security starttls“ zeigt, was er verschlüsselt anbietet.',

  'cli.ext.SIZE.limit': 'Nachrichten bis {size}',
  'cli.ext.SIZE.none': 'Größe wird geprüft, keine Grenze angegeben',
  'cli.ext.AUTH': 'Anmeldung (siehe unten)',
  'cli.ext.PIPELINING': 'Mehrere Befehle pro Umlauf (schneller)',
  'cli.ext.8BITMIME': 'Text mit Umlauten ohne Umkodierung',
  'cli.ext.SMTPUTF8': 'Adressen mit Zeichen außerhalb von ASCII',
  'cli.ext.CHUNKING': 'Nachricht in Stücken (BDAT)',
  'cli.ext.BINARYMIME': 'Binäre Nachrichteninhalte',
  'cli.ext.DSN': 'Zustellbenachrichtigungen auf Wunsch',
  'cli.ext.ENHANCEDSTATUSCODES': 'Genaue Fehlercodes (wie 5.1.1)',
  'cli.ext.STARTTLS': 'Kann auf Verschlüsselung umschalten',
  'cli.ext.REQUIRETLS': 'Kann Verschlüsselung bis zum Ziel verlangen',
  'cli.ext.DELIVERBY': 'Zustellfristen',
  'cli.ext.ETRN': 'Warteschlange aus der Ferne anstoßen',
  'cli.ext.VRFY': 'Adressprüfung (VRFY)',
  'cli.ext.EXPN': 'Verteiler auflösen (EXPN)',
  'cli.ext.HELP': 'Hilfebefehl',
  'cli.ext.MTRK': 'Nachrichtenverfolgung',
  'cli.ext.FUTURERELEASE': 'Verzögerte Zustellung',
  'cli.ext.CLIENTID': 'Kennung des Programms',
  'cli.ext.LIMITS': 'Nennt seine Grenzen',
  'cli.ext.XCLIENT': 'Proxy-Erweiterung (Postfix)',
  'cli.ext.XFORWARD': 'Proxy-Erweiterung (Postfix)',
  'cli.ext.other': 'Serverspezifische Erweiterung',

  'cli.mech.PLAIN': 'Passwort, innerhalb der Verschlüsselung gesendet',
  'cli.mech.PLAIN.unencrypted': 'Passwort, lesbar gesendet: Diese Verbindung ist nicht verschlüsselt',
  'cli.mech.LOGIN': 'Passwort, innerhalb der Verschlüsselung gesendet (ältere Form)',
  'cli.mech.LOGIN.unencrypted': 'Passwort, lesbar gesendet (ältere Form): Diese Verbindung ist nicht verschlüsselt',
  'cli.mech.CRAM-MD5': 'Passwortnachweis, ohne das Passwort zu senden (alt, schwach)',
  'cli.mech.SCRAM-SHA-256': 'Passwortnachweis, ohne das Passwort zu senden (modern)',
  'cli.mech.SCRAM-SHA-1': 'Passwortnachweis, ohne das Passwort zu senden',
  'cli.mech.XOAUTH2': 'Anmeldung über den Anbieter (OAuth)',
  'cli.mech.XOAUTH2.unencrypted': 'Anmeldung über den Anbieter (OAuth); das Zugriffstoken geht lesbar über die Leitung: Diese Verbindung ist nicht verschlüsselt',
  'cli.mech.OAUTHBEARER': 'Anmeldung über den Anbieter (OAuth, Standardform)',
  'cli.mech.OAUTHBEARER.unencrypted': 'Anmeldung über den Anbieter (OAuth, Standardform); das Zugriffstoken geht lesbar über die Leitung: Diese Verbindung ist nicht verschlüsselt',
  'cli.mech.DIGEST-MD5': 'Passwortnachweis (veraltet)',
  'cli.mech.NTLM': 'Windows-Anmeldung (von Postbote nicht unterstützt)',
  'cli.mech.GSSAPI': 'Kerberos (von Postbote nicht unterstützt)',
  'cli.mech.ANONYMOUS': 'Ohne Anmeldung',
  'cli.mech.other': 'Von Postbote nicht unterstützt',

  'cli.discover.title': 'Einstellungen für {address}',
  'cli.discover.provider': 'Anbieter',
  'cli.discover.server': 'Server',
  'cli.discover.security': 'Verschlüsselung',
  'cli.discover.user': 'Benutzername',
  'cli.discover.trust': 'Verlässlichkeit',
  'cli.discover.source': 'Quelle',
  'cli.discover.confirmedBy': 'auch genannt von: {sources}',
  'cli.discover.note': 'Hinweis',
  'cli.discover.tried': 'Was versucht wurde:',
  'cli.discover.step': 'Schritt',
  'cli.discover.target': 'Wo',
  'cli.discover.outcome': 'Ergebnis',
  'cli.discover.elapsed': 'Dauer: {ms} ms.',
  'cli.step.preset': 'Voreinstellung',
  'cli.step.offlineTable': 'Anbieterdatenbank',
  'cli.step.autoconfig': 'Autoconfig',
  'cli.step.autoconfigWellKnown': 'Autoconfig (Website)',
  'cli.step.autoconfigHttp': 'Autoconfig (HTTP)',
  'cli.step.ispdbOnline': 'Anbieterdatenbank online',
  'cli.step.srvSubmissions': 'DNS-SRV (TLS)',
  'cli.step.srvSubmission': 'DNS-SRV (STARTTLS)',
  'cli.step.mx': 'DNS-MX',
  'cli.step.probe': 'Ausprobieren',

  'cli.accounts.empty': 'Noch keine Konten. Legen Sie eines an mit: postbote accounts add <Adresse> --password-stdin',
  'cli.accounts.inKeychain': 'im Schlüsselbund',
  'cli.accounts.missing': 'fehlt',
  'cli.accounts.keychainUnknown': 'Schlüsselbund nicht erreichbar',
  'cli.accounts.address': 'Adresse',
  'cli.accounts.password': 'Passwort',
  'cli.accounts.default': 'Standard',
  'cli.accounts.defaultMark': '* = Standardkonto (gilt, wenn kein --account angegeben ist)',
  'cli.accounts.removed': 'Konto {address} ({id}) entfernt, samt Passwort im Schlüsselbund.',
  'cli.accounts.testOk': 'Die Verbindung für {address} funktioniert: angemeldet, nichts gesendet.',
  'cli.accounts.testOkNoAuth': 'Die Verbindung für {address} funktioniert (der Server nimmt Mail ohne Anmeldung an); nichts gesendet.',
  'cli.accounts.noAuth': 'keine (kein Benutzername)',
  'cli.accounts.giveHost': 'Geben Sie den Server von Hand an: postbote accounts add <Adresse> --host <Server> --port <Port> --security tls|starttls',
  'cli.accounts.testing': 'Teste {server} ({security}) …',
  'cli.accounts.added': 'Konto {address} angelegt.',
  'cli.accounts.storedInKeychain': 'im Schlüsselbund gespeichert',
  'cli.accounts.noPasswordNeeded': 'keines nötig (ohne Anmeldung)',
  'cli.accounts.notTested': 'Die Verbindung wurde nicht getestet (--no-test). Testen mit: postbote accounts test',

  'cli.status.sent': 'gesendet',
  'cli.status.sentWithWarnings': 'teilweise gesendet',
  'cli.status.deferred': 'später erneut',
  'cli.status.failed': 'fehlgeschlagen',
  'cli.status.unconfirmed': 'unbestätigt',
  'cli.status.cancelled': 'abgebrochen',
  'cli.log.notFound': 'Einen Protokolleintrag #{id} gibt es nicht.',
  'cli.log.empty': 'Das Versandprotokoll ist leer.',
  'cli.log.emptyFiltered': 'Kein Eintrag passt.',
  'cli.log.noSubject': '(kein Betreff)',
  'cli.log.time': 'Zeit',
  'cli.log.status': 'Status',
  'cli.log.recipients': 'Empfänger',
  'cli.log.subject': 'Betreff',
  'cli.log.from': 'Absender',
  'cli.log.size': 'Größe',
  'cli.log.more': 'Nur die neuesten {n} werden gezeigt; mehr mit --limit.',
  'cli.log.showHint': 'Details eines Eintrags: postbote log show <ID>',
  'cli.log.entryTitle': 'Versandprotokoll #{id}: {status}',

  'cli.help.main': `Postbote – E-Mails von der Kommandozeile senden, mit den Konten und Erklärungen der App.

Aufruf: postbote <Befehl> [Optionen]

Befehle:
  send        Eine Nachricht senden (gespeichertes Konto oder Server von Hand)
  sendmail    Eine fertige Nachricht von der Standardeingabe senden (wie sendmail)
  probe       Zeigen, was ein SMTP-Server anbietet: TLS, Zertifikat, Erweiterungen, Anmeldung
  discover    Die SMTP-Einstellungen zu einer E-Mail-Adresse finden
  accounts    Konten auflisten, anlegen, testen, entfernen (list|add|test|remove)
  log         Das Versandprotokoll; „log show <ID>“ mit Erklärung und Gesprächsverlauf

Optionen für jeden Befehl:
  --json            Maschinenlesbare Ausgabe
  --lang de|en      Sprache (Standard: aus LC_ALL, LC_MESSAGES oder LANG)
  --data-dir ORDNER Datenordner (Standard: der der App; oder POSTBOTE_DATA_DIR)
  -h, --help        Hilfe zu einem Befehl

Rückgabewerte (wie in sysexits.h):
  0   an alle Empfänger gesendet
  64  Aufruf falsch                   65  Nachricht fehlerhaft, nichts gesendet
  67  eine Adresse wurde abgelehnt (die übrigen wurden angenommen)
  69  endgültig fehlgeschlagen: derselbe Befehl scheitert wieder (abgelehnt, Anmeldung …)
  75  vorübergehend (Netz, Server ausgelastet, 4xx-Antwort): Befehl später erneut aufrufen
  76  unbestätigt: die Verbindung brach ab, nachdem die Nachricht übergeben war, sie ist
      also vielleicht zugestellt – vor erneutem Senden prüfen (Skripte: nicht wiederholen)
  78  Einstellungen fehlerhaft (Konto, Schlüsselbund, CA-Datei)`,

  'cli.help.send': `Aufruf: postbote send [Verbindung] [Nachricht]

Eine Nachricht jetzt senden und sagen, was geschah.

Verbindung (gespeichertes Konto oder Einstellungen von Hand):
  -a, --account ADR|ID    Gespeichertes Konto (Standard: das Standardkonto)
  --host SERVER           Server für Einstellungen von Hand
  --port N                Port (Standard: 465 bei tls, 587 bei starttls)
  --security ART          tls | starttls | none (Standard: tls auf 465, sonst starttls)
  --user NAME             Mit diesem Benutzernamen anmelden
  --password-stdin        Passwort aus der ersten Zeile der Standardeingabe lesen
                          (oder POSTBOTE_PASSWORD setzen; nie als Argument)
  --ca DATEI              Diesem zusätzlichen CA-Zertifikat vertrauen (PEM)
  --auth VERFAHREN        Dieses Anmeldeverfahren nutzen (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 …)

Nachricht:
  -f, --from ADR          Absender (Standard: die Adresse des Kontos)
  --to ADR                Empfänger (wiederholbar; auch „A <a@x>, b@y“)
  --cc ADR, --bcc ADR     Kopie / Blindkopie (wiederholbar)
  -s, --subject TEXT      Betreff
  --text TEXT             Text; oder --text-file DATEI; sonst die Standardeingabe
  --html-file DATEI       HTML-Teil (ein Textteil wird daraus erzeugt)
  --attach DATEI          Anhang (wiederholbar)

Ausgabe:
  --transcript            Das Gespräch mit dem Server zeigen (Passwörter entfernt)
  --json                  {"ok", "status", "accepted", "rejected", "messageId", "queueId", "tls", …}

Rückgabewerte: siehe „postbote --help“.

Beispiele:
  postbote send --to anna@example.com -s "Hallo" --text "Bis morgen"
  printf '%s\\n' "$PW" | postbote send --host smtp.example.com --user ich@example.com \\
      --password-stdin --from ich@example.com --to anna@example.com -s Test --text Hallo`,

  'cli.help.sendmail': `Aufruf: postbote sendmail [-t] [-i] [-f ABSENDER] [-F NAME] [--account ADR|ID] [Empfänger …]

Liest eine vollständige Nachricht (RFC 5322) von der Standardeingabe und sendet sie mit
einem gespeicherten Konto, wie sendmail oder msmtp – für git send-email, mutt, cron und
Skripte. Nutzt das Standardkonto, sofern --account nichts anderes sagt. Die Bcc-Kopfzeile
wird vor dem Senden entfernt; Zeilenenden werden CRLF. Ist die erste Zeile keine Kopfzeile,
gilt die ganze Eingabe als Text einer Nachricht ohne Kopfzeilen. Wie sendmail ergänzt
Postbote fehlende Kopfzeilen From (die Adresse des Kontos), Date und Message-ID; sonst
bleibt die Nachricht unverändert.

  -t                  Empfänger aus den Kopfzeilen To, Cc und Bcc übernehmen
                      (als Argumente genannte kommen hinzu; jeder erhält eine Kopie)
  -f ABS, -r ABS      Absender im Umschlag (Standard: die Adresse des Kontos; „<>“ für keinen)
  -F NAME             Voller Name in der From-Kopfzeile, die Postbote ergänzt
                      (Standard: der Name des Kontos)
  -a, --account A     Gespeichertes Konto, per Adresse oder ID
  -i, -oi             Zur Kompatibilität angenommen (ein einzelner „.“ beendet nie die Nachricht)
  -bm -v -U -n -m -G  Angenommen und ignoriert
  -B TYP  -N DSN  -O OPTION=WERT  -oX  -X DATEI  -C DATEI  -L NAME  -R RET  -V ID
                      Angenommen und samt ihrem Wert ignoriert
  --transcript        Das Gespräch mit dem Server zeigen
  --json              Das Ergebnis als JSON (wie bei „postbote send --json“)

Rückgabewerte wie bei „postbote send“ (postbote --help); 76 heißt, die Nachricht ist
vielleicht zugestellt: vor erneutem Senden prüfen.

Beispiel (git): git config sendemail.sendmailcmd "postbote sendmail"
Beispiel (cron): echo "Sicherung fertig" | postbote sendmail admin@example.com`,

  'cli.help.probe': `Aufruf: postbote probe SERVER[:PORT] [--security tls|starttls|none] [--ca DATEI]

Verbinden, verschlüsseln, EHLO sagen und wieder gehen – ohne Anmeldung. Zeigt die
TLS-Version, das Zertifikat, die Erweiterungen und die Anmeldeverfahren, erklärt.

  --security ART      tls | starttls | none (Standard: tls auf 465, sonst starttls)
  -p, --port N        Port (Standard: 465 bei tls, 587 bei starttls, 25 bei none)
  --ca DATEI          Diesem zusätzlichen CA-Zertifikat vertrauen (PEM)
  --timeout SEKUNDEN  Nach dieser Zeit aufgeben (Standard 15)
  --transcript        Das Gespräch mit dem Server zeigen
  --json              Maschinenlesbare Ausgabe`,

  'cli.help.discover': `Aufruf: postbote discover ADRESSE [--verbose] [--no-ispdb]

Findet die SMTP-Einstellungen zu einer E-Mail-Adresse: Postbotes Voreinstellungen, die
Anbieterdatenbank, die Autoconfig-Datei des Anbieters, DNS-SRV- und MX-Einträge und
Ausprobieren. Zeigt die Kandidaten, den besten zuerst, jeweils mit ihrer Quelle.

  -v, --verbose       Auch alles zeigen, was versucht wurde
  --no-ispdb          Die Online-Anbieterdatenbank nicht fragen (nur die Domain würde gesendet)
  --timeout SEKUNDEN  Zeitgrenze insgesamt (Standard 6)
  --json              Maschinenlesbare Ausgabe`,

  'cli.help.accounts': `Aufruf: postbote accounts list|add|test|remove …

Dieselben Konten wie in der App; Passwörter liegen im Schlüsselbund des Systems.

  accounts list                    Konten auflisten (* = Standardkonto)
  accounts add ADRESSE [Optionen]  Einstellungen finden, testen, Konto speichern
      --password-stdin             Passwort von der Standardeingabe (oder POSTBOTE_PASSWORD)
      --name NAME                  Anzeigename
      --host H --port P --security tls|starttls   Einstellungen von Hand statt Suche
      --user NAME --auth VERFAHREN --ca DATEI     Benutzername, Anmeldeverfahren, CA
      --no-auth                    Der Server nimmt Mail ohne Anmeldung an (lokales Relay):
                                   kein Benutzername, kein Passwort
      --no-test                    Ohne Verbindungstest speichern
      --default                    Zum Standardkonto machen
  accounts test ADRESSE|ID         Verbinden und anmelden, nichts senden
  accounts remove ADRESSE|ID       Konto samt Schlüsselbund-Eintrag entfernen`,

  'cli.help.log': `Aufruf: postbote log [--failed] [--since ZEIT] [--search WÖRTER] [--limit N]
        postbote log show ID

Das Versandprotokoll: jeder Zustellversuch, die neuesten zuerst.

  --failed            Nur fehlgeschlagene, verschobene, unbestätigte und teilweise gesendete
  --since ZEIT        2h, 3d, 1w, heute, gestern, 2026-05-01 …
  --search WÖRTER     In Betreff, Empfängern und Fehlertext
  -n, --limit N       Höchstens N Einträge (Standard 20)
  -a, --account A     Nur dieses Konto
  log show ID         Ein Eintrag mit Erklärung und dem Gespräch mit dem Server`,
};
