/**
 * Deutsche Texte der Einrichtung per Adresse (Autokonfiguration): woher Einstellungen
 * stammen, wie vertrauenswürdig sie sind, Warnungen, und was versucht wurde. Platzhalter
 * in {Klammern}; der englische Katalog hat dieselben Schlüssel. Anrede mit „Sie“.
 */
export const autoconfigDe: Record<string, string> = {
  // Woher ein Vorschlag stammt
  'autoconfig.source.preset': 'Voreinstellung von Postbote für {provider}',
  'autoconfig.source.offlineTable': 'Anbieterdatenbank von Thunderbird (mitgeliefert) für {provider}',
  'autoconfig.source.autoconfig': 'Konfigurationsdatei des Anbieters',
  'autoconfig.source.autoconfigWellKnown': 'Konfigurationsdatei auf der Website der Domain',
  'autoconfig.source.autoconfigHttp': 'Konfigurationsdatei des Anbieters, unverschlüsselt abgerufen',
  'autoconfig.source.ispdbOnline': 'Anbieterdatenbank von Thunderbird (online)',
  'autoconfig.source.srv': 'DNS-SRV-Eintrag der Domain',
  'autoconfig.source.mxPreset': 'Der MX-Eintrag zeigt auf {provider}',
  'autoconfig.source.mxTable': 'Der MX-Eintrag zeigt auf {provider} (Anbieterdatenbank)',
  'autoconfig.source.probe': 'Durch Ausprobieren gefunden',

  // Vertrauen
  'autoconfig.trust.high': 'Verlässlich',
  'autoconfig.trust.medium': 'Wahrscheinlich richtig',
  'autoconfig.trust.low': 'Unsicher – bitte prüfen',

  // Warnungen
  'autoconfig.warning.plaintextOnly': 'Dieser Server bietet nur unverschlüsselte Verbindungen an. Ihr Passwort wäre unterwegs lesbar.',
  'autoconfig.warning.certificateProblem': 'Das Zertifikat des Servers ließ sich nicht prüfen. Verwenden Sie ihn nur, wenn Sie wissen, warum.',
  'autoconfig.warning.unencryptedSource': 'Diese Einstellungen kamen über eine unverschlüsselte Verbindung und könnten unterwegs verändert worden sein.',
  'autoconfig.warning.redirectedToOtherDomain': 'Die Konfigurationsdatei wurde von einer anderen Domain geliefert.',
  'autoconfig.warning.targetOutsideDomain': 'Der DNS-Eintrag verweist auf einen Server außerhalb Ihrer Domain.',
  'autoconfig.warning.noAuthOffered': 'Der Server bietet keine Anmeldung an.',

  // Ergebnis
  'autoconfig.result.found': 'Einstellungen gefunden. Bitte testen Sie die Verbindung, bevor Sie das Konto speichern.',
  'autoconfig.result.notFound': 'Keine Einstellungen gefunden. Unten steht, was versucht wurde – bitte geben Sie Server, Port und Verschlüsselung von Hand ein (Ihr Anbieter nennt sie in seiner Hilfe).',
  'autoconfig.result.domainNotFound': 'Die Domain {domain} gibt es im DNS nicht. Bitte prüfen Sie die Adresse auf Tippfehler.',
  'autoconfig.result.noSmtp': 'Dieser Anbieter erlaubt keinen Versand mit E-Mail-Programmen (kein SMTP-Zugang).',
  'autoconfig.result.invalidAddress.empty': 'Bitte geben Sie Ihre E-Mail-Adresse ein.',
  'autoconfig.result.invalidAddress.noAt': 'Einer E-Mail-Adresse fehlt das @-Zeichen, etwa name@beispiel.de.',
  'autoconfig.result.invalidAddress.localPart': 'Der Teil vor dem @ ist so nicht gültig (keine Leerzeichen, Klammern oder doppelten Punkte).',
  'autoconfig.result.invalidAddress.domain': 'Der Teil nach dem @ ist keine gültige Domain, etwa beispiel.de.',
  'autoconfig.result.invalidAddress.tooLong': 'Diese Adresse ist zu lang für eine E-Mail-Adresse.',

  // Schritte
  'autoconfig.step.preset': 'Voreinstellungen von Postbote',
  'autoconfig.step.offlineTable': 'Mitgelieferte Anbieterdatenbank',
  'autoconfig.step.autoconfig': 'Konfigurationsdatei des Anbieters',
  'autoconfig.step.autoconfigWellKnown': 'Konfigurationsdatei auf der Website',
  'autoconfig.step.autoconfigHttp': 'Konfigurationsdatei (unverschlüsselt)',
  'autoconfig.step.ispdbOnline': 'Anbieterdatenbank von Thunderbird (online)',
  'autoconfig.step.srvSubmissions': 'DNS-SRV-Eintrag für verschlüsselten Versand',
  'autoconfig.step.srvSubmission': 'DNS-SRV-Eintrag für Versand mit STARTTLS',
  'autoconfig.step.mx': 'MX-Eintrag der Domain',
  'autoconfig.step.probe': 'Verbindungsversuch',

  // Was bei einem Schritt herauskam
  'autoconfig.attempt.presetFound': '{provider} ist bekannt.',
  'autoconfig.attempt.presetNoSmtp': '{provider} ist bekannt, bietet aber keinen SMTP-Zugang.',
  'autoconfig.attempt.offlineFound': 'In der Anbieterdatenbank gefunden: {provider}.',
  'autoconfig.attempt.configFound': 'Datei gefunden ({servers} Server).',
  'autoconfig.attempt.foundAfterRedirect': 'Datei nach Weiterleitung gefunden: {finalUrl}.',
  'autoconfig.attempt.httpNotFound': 'Keine Datei vorhanden (HTTP {status}).',
  'autoconfig.attempt.httpStatus': 'Der Server antwortete mit HTTP {status}.',
  'autoconfig.attempt.badConfigFile': 'Die Datei ist fehlerhaft und wurde nicht verwendet: {message}',
  'autoconfig.attempt.certificateProblem': 'Das Zertifikat der Website ließ sich nicht prüfen; die Datei wurde nicht verwendet.',
  'autoconfig.attempt.hostNotFound': 'Diesen Servernamen gibt es nicht.',
  'autoconfig.attempt.fetchFailed': 'Abruf fehlgeschlagen: {message}',
  'autoconfig.attempt.srvFound': 'Eintrag gefunden ({servers} Server).',
  'autoconfig.attempt.srvNone': 'Kein Eintrag vorhanden.',
  'autoconfig.attempt.srvDeclined': 'Der Eintrag sagt ausdrücklich, dass dieser Dienst nicht angeboten wird.',
  'autoconfig.attempt.dnsFailed': 'Die DNS-Abfrage schlug fehl ({code}).',
  'autoconfig.attempt.mxPreset': 'Der Mailserver {mx} gehört zu {provider}.',
  'autoconfig.attempt.mxTable': 'Der Mailserver {mx} gehört laut Anbieterdatenbank zu {provider}.',
  'autoconfig.attempt.mxUnknown': 'Mailserver {mx} – kein bekannter Anbieter.',
  'autoconfig.attempt.mxNone': 'Die Domain hat keinen Mailserver eingetragen.',
  'autoconfig.attempt.domainNotFound': 'Diese Domain gibt es im DNS nicht.',
  'autoconfig.attempt.probeFound': 'Server antwortet verschlüsselt und bietet Anmeldung an ({mechanisms}).',
  'autoconfig.attempt.probeCertificate': 'Server antwortet, aber sein Zertifikat ließ sich nicht prüfen.',
  'autoconfig.attempt.probeNoAuth': 'Server antwortet, bietet aber keine Anmeldung an.',
  'autoconfig.attempt.probe.noTls': 'Server antwortet nur unverschlüsselt; nicht verwendet.',
  'autoconfig.attempt.probe.refused': 'Verbindung abgelehnt.',
  'autoconfig.attempt.probe.unreachable': 'Server nicht erreichbar.',
  'autoconfig.attempt.probe.timeout': 'Keine Antwort.',
  'autoconfig.attempt.probe.certificate': 'Zertifikat ließ sich nicht prüfen.',
  'autoconfig.attempt.probe.protocol': 'Unerwartete Antwort: {message}',
  'autoconfig.attempt.probe.cancelled': 'Abgebrochen.',
  'autoconfig.attempt.timeout': 'Keine Antwort in der verfügbaren Zeit.',
  'autoconfig.attempt.notNeeded': 'Nicht mehr nötig: eine verlässlichere Quelle hat schon geantwortet.',
  'autoconfig.attempt.internalError': 'Interner Fehler: {message}',

  // Anforderungen der Anbieter, allgemein (die Voreinstellungen haben eigene Worte)
  'autoconfig.requirement.appPassword': 'Sie brauchen ein App-Passwort, das Sie beim Anbieter erzeugen.',
  'autoconfig.requirement.enableSmtp': 'Der Zugang für E-Mail-Programme muss beim Anbieter erst eingeschaltet werden.',
  'autoconfig.requirement.oauth': 'Die Anmeldung läuft über das Anmeldefenster des Anbieters (OAuth).',
  'autoconfig.requirement.separatePassword': 'Für E-Mail-Programme gilt ein eigenes E-Mail-Passwort.',
  'autoconfig.requirement.bridge': 'Der Versand läuft über ein Zusatzprogramm des Anbieters auf Ihrem Rechner.',

  // Verbindungstest
  'autoconfig.test.ok': 'Verbindung und Anmeldung bei {host} funktionieren.',
  'autoconfig.test.failed': 'Der Verbindungstest mit {host}:{port} ist fehlgeschlagen.',
};
