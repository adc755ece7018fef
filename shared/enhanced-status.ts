/**
 * RFC 3463 enhanced mail system status codes ("5.7.8"), with the detail codes added to
 * the IANA registry since (RFC 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505,
 * 8617, 8689 and others), in German and English.
 *
 * A code is class.subject.detail. The class says whether it worked (2), failed for now (4)
 * or failed for good (5); the subject says which part of the system is concerned; the
 * detail narrows it down. Every code in the code space can therefore be described, even
 * one nobody has registered: class and subject always have a meaning.
 */
import type { Lang } from './domain.js';

interface Meaning { de: string; en: string }

export const enhancedClasses: Readonly<Record<'2' | '4' | '5', Meaning>> = {
  '2': { de: 'Erfolg', en: 'Success' },
  '4': { de: 'Vorübergehender Fehler', en: 'Temporary failure' },
  '5': { de: 'Dauerhafter Fehler', en: 'Permanent failure' },
};

export const enhancedSubjects: Readonly<Record<string, Meaning>> = {
  '0': { de: 'Sonstiger oder nicht näher bestimmter Status', en: 'Other or unspecified status' },
  '1': { de: 'Adressstatus', en: 'Addressing status' },
  '2': { de: 'Postfachstatus', en: 'Mailbox status' },
  '3': { de: 'Status des Mailsystems', en: 'Mail system status' },
  '4': { de: 'Netzwerk- und Weiterleitungsstatus', en: 'Network and routing status' },
  '5': { de: 'Status des Zustellprotokolls', en: 'Mail delivery protocol status' },
  '6': { de: 'Nachrichteninhalt oder Medienformat', en: 'Message content or media status' },
  '7': { de: 'Sicherheit oder Richtlinien', en: 'Security or policy status' },
};

/** Detail codes, keyed "subject.detail" (the X of X.s.d stands for any class). */
export const enhancedDetails: Readonly<Record<string, Meaning>> = {
  '0.0': { de: 'Sonstiger oder nicht näher bestimmter Status', en: 'Other unspecified status' },

  '1.0': { de: 'Sonstiger Adressstatus', en: 'Other address status' },
  '1.1': { de: 'Empfängerpostfach existiert nicht', en: 'Bad destination mailbox address' },
  '1.2': { de: 'Empfängerdomain existiert nicht oder nimmt keine E-Mails an', en: 'Bad destination system address' },
  '1.3': { de: 'Empfängeradresse ist syntaktisch ungültig', en: 'Bad destination mailbox address syntax' },
  '1.4': { de: 'Empfängeradresse ist mehrdeutig', en: 'Destination mailbox address ambiguous' },
  '1.5': { de: 'Empfängeradresse ist gültig', en: 'Destination address valid' },
  '1.6': { de: 'Postfach ist umgezogen, keine Weiterleitungsadresse bekannt', en: 'Destination mailbox has moved, no forwarding address' },
  '1.7': { de: 'Absenderadresse ist syntaktisch ungültig', en: "Bad sender's mailbox address syntax" },
  '1.8': { de: 'Absenderdomain ist ungültig', en: "Bad sender's system address" },
  '1.9': { de: 'Nachricht an ein nicht standardkonformes Mailsystem weitergegeben', en: 'Message relayed to non-compliant mailer' },
  '1.10': { de: 'Empfängerdomain nimmt ausdrücklich keine E-Mails an (Null-MX)', en: 'Recipient address has null MX' },

  '2.0': { de: 'Sonstiger Postfachstatus', en: 'Other or unspecified mailbox status' },
  '2.1': { de: 'Postfach ist gesperrt und nimmt keine Nachrichten an', en: 'Mailbox disabled, not accepting messages' },
  '2.2': { de: 'Postfach ist voll', en: 'Mailbox full' },
  '2.3': { de: 'Nachricht überschreitet die Größengrenze des Postfachs', en: 'Message length exceeds administrative limit' },
  '2.4': { de: 'Verteilerliste konnte nicht aufgelöst werden', en: 'Mailing list expansion problem' },

  '3.0': { de: 'Sonstiger Status des Mailsystems', en: 'Other or unspecified mail system status' },
  '3.1': { de: 'Speicher des Mailsystems ist voll', en: 'Mail system full' },
  '3.2': { de: 'System nimmt derzeit keine Nachrichten an', en: 'System not accepting network messages' },
  '3.3': { de: 'System unterstützt die gewünschten Funktionen nicht', en: 'System not capable of selected features' },
  '3.4': { de: 'Nachricht ist zu groß für das System', en: 'Message too big for system' },
  '3.5': { de: 'System ist falsch eingerichtet', en: 'System incorrectly configured' },
  '3.6': { de: 'Angeforderte Priorität wurde geändert', en: 'Requested priority was changed' },

  '4.0': { de: 'Sonstiger Netzwerk- oder Weiterleitungsstatus', en: 'Other or unspecified network or routing status' },
  '4.1': { de: 'Keine Antwort vom Zielrechner', en: 'No answer from host' },
  '4.2': { de: 'Verbindung gestört', en: 'Bad connection' },
  '4.3': { de: 'Verzeichnisdienst (etwa DNS) nicht erreichbar', en: 'Directory server failure' },
  '4.4': { de: 'Kein Weg zum Ziel gefunden', en: 'Unable to route' },
  '4.5': { de: 'Mailsystem ist überlastet', en: 'Mail system congestion' },
  '4.6': { de: 'Weiterleitungsschleife erkannt', en: 'Routing loop detected' },
  '4.7': { de: 'Zustellfrist abgelaufen', en: 'Delivery time expired' },

  '5.0': { de: 'Sonstiger Protokollstatus', en: 'Other or unspecified protocol status' },
  '5.1': { de: 'Ungültiger Befehl', en: 'Invalid command' },
  '5.2': { de: 'Syntaxfehler', en: 'Syntax error' },
  '5.3': { de: 'Zu viele Empfänger', en: 'Too many recipients' },
  '5.4': { de: 'Ungültige Befehlsparameter', en: 'Invalid command arguments' },
  '5.5': { de: 'Falsche Protokollversion', en: 'Wrong protocol version' },
  '5.6': { de: 'Zeile im Anmeldeablauf ist zu lang', en: 'Authentication exchange line is too long' },

  '6.0': { de: 'Sonstiger Fehler im Nachrichteninhalt', en: 'Other or unspecified media error' },
  '6.1': { de: 'Inhaltsformat wird nicht unterstützt', en: 'Media not supported' },
  '6.2': { de: 'Umwandlung nötig, aber untersagt', en: 'Conversion required and prohibited' },
  '6.3': { de: 'Umwandlung nötig, aber nicht möglich', en: 'Conversion required but not supported' },
  '6.4': { de: 'Umwandlung mit Verlust durchgeführt', en: 'Conversion with loss performed' },
  '6.5': { de: 'Umwandlung fehlgeschlagen', en: 'Conversion failed' },
  '6.6': { de: 'Nachrichteninhalt nicht verfügbar', en: 'Message content not available' },
  '6.7': { de: 'Adressen mit Nicht-ASCII-Zeichen sind hier nicht erlaubt', en: 'Non-ASCII addresses not permitted for that sender/recipient' },
  '6.8': { de: 'UTF-8-Antwort nötig, vom Programm aber nicht zugelassen', en: 'UTF-8 string reply is required, but not permitted by the SMTP client' },
  '6.9': { de: 'Nachricht mit UTF-8-Kopfzeilen kann nicht weitergegeben werden', en: 'UTF-8 header message cannot be transferred to one or more recipients' },
  '6.10': { de: 'UTF-8-Antwort nötig, vom Programm aber nicht zugelassen (veraltet, wie X.6.8)', en: 'UTF-8 string reply is required, but not permitted by the SMTP client (deprecated duplicate of X.6.8)' },

  '7.0': { de: 'Sonstiger Sicherheits- oder Richtlinienstatus', en: 'Other or unspecified security status' },
  '7.1': { de: 'Zustellung nicht erlaubt, Nachricht abgelehnt', en: 'Delivery not authorized, message refused' },
  '7.2': { de: 'Versand an die Verteilerliste nicht erlaubt', en: 'Mailing list expansion prohibited' },
  '7.3': { de: 'Nötige Sicherheitsumwandlung nicht möglich', en: 'Security conversion required but not possible' },
  '7.4': { de: 'Sicherheitsfunktionen werden nicht unterstützt', en: 'Security features not supported' },
  '7.5': { de: 'Kryptografischer Fehler', en: 'Cryptographic failure' },
  '7.6': { de: 'Kryptografisches Verfahren wird nicht unterstützt', en: 'Cryptographic algorithm not supported' },
  '7.7': { de: 'Nachricht wurde verändert oder ist beschädigt', en: 'Message integrity failure' },
  '7.8': { de: 'Anmeldedaten ungültig', en: 'Authentication credentials invalid' },
  '7.9': { de: 'Anmeldeverfahren ist zu schwach', en: 'Authentication mechanism is too weak' },
  '7.10': { de: 'Verschlüsselung erforderlich', en: 'Encryption needed' },
  '7.11': { de: 'Dieses Anmeldeverfahren erfordert eine verschlüsselte Verbindung', en: 'Encryption required for requested authentication mechanism' },
  '7.12': { de: 'Passwortumstellung erforderlich', en: 'A password transition is needed' },
  '7.13': { de: 'Benutzerkonto ist gesperrt', en: 'User account disabled' },
  '7.14': { de: 'Vertrauensbeziehung erforderlich', en: 'Trust relationship required' },
  '7.15': { de: 'Priorität ist zu niedrig', en: 'Priority level is too low' },
  '7.16': { de: 'Nachricht ist für die gewählte Priorität zu groß', en: 'Message is too big for the specified priority' },
  '7.17': { de: 'Postfachinhaber hat gewechselt', en: 'Mailbox owner has changed' },
  '7.18': { de: 'Domaininhaber hat gewechselt', en: 'Domain owner has changed' },
  '7.19': { de: 'RRVS-Prüfung kann nicht abgeschlossen werden', en: 'RRVS test cannot be completed' },
  '7.20': { de: 'Keine gültige DKIM-Signatur gefunden', en: 'No passing DKIM signature found' },
  '7.21': { de: 'Keine akzeptable DKIM-Signatur gefunden', en: 'No acceptable DKIM signature found' },
  '7.22': { de: 'Keine gültige DKIM-Signatur der Absenderdomain gefunden', en: 'No valid author-matched DKIM signature found' },
  '7.23': { de: 'SPF-Prüfung fehlgeschlagen', en: 'SPF validation failed' },
  '7.24': { de: 'Fehler bei der SPF-Prüfung', en: 'SPF validation error' },
  '7.25': { de: 'Reverse-DNS-Prüfung fehlgeschlagen', en: 'Reverse DNS validation failed' },
  '7.26': { de: 'Mehrere Absenderprüfungen fehlgeschlagen', en: 'Multiple authentication checks failed' },
  '7.27': { de: 'Absenderdomain nimmt ausdrücklich keine E-Mails an (Null-MX)', en: 'Sender address has null MX' },
  '7.28': { de: 'Massenversand ähnlicher Nachrichten erkannt', en: 'Mail flood detected' },
  '7.29': { de: 'ARC-Prüfung fehlgeschlagen', en: 'ARC validation failure' },
  '7.30': { de: 'REQUIRETLS-Unterstützung erforderlich', en: 'REQUIRETLS support required' },
};

export interface EnhancedCodeParts { cls: '2' | '4' | '5'; subject: string; detail: string }

/** Splits "5.7.8" into its parts; undefined for anything that is not an enhanced code. */
export function parseEnhancedCode(code: string | undefined): EnhancedCodeParts | undefined {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec((code ?? '').trim());
  if (!m) return undefined;
  const [, cls, subject, detail] = m;
  if (cls === undefined || subject === undefined || detail === undefined) return undefined;
  // Leading zeros are not allowed by RFC 3463 but appear in the wild; normalise them.
  return { cls: cls as EnhancedCodeParts['cls'], subject: String(Number(subject)), detail: String(Number(detail)) };
}

/**
 * The registry key for a code: "X.7.8" when the detail is known, "X.7.*" when only the
 * subject is, "X.*.*" when neither; undefined when the text is not an enhanced code.
 */
export function enhancedMeaningKey(code: string | undefined): string | undefined {
  const p = parseEnhancedCode(code);
  if (!p) return undefined;
  if (enhancedDetails[`${p.subject}.${p.detail}`]) return `X.${p.subject}.${p.detail}`;
  if (enhancedSubjects[p.subject]) return `X.${p.subject}.*`;
  return 'X.*.*';
}

/**
 * "Dauerhafter Fehler – Anmeldedaten ungültig" / "Permanent failure – Authentication
 * credentials invalid". Unregistered details fall back to the subject; unknown subjects to
 * the class. Text that is not an enhanced code yields undefined.
 */
export function describeEnhancedCode(code: string | undefined, lang: Lang): string | undefined {
  const p = parseEnhancedCode(code);
  if (!p) return undefined;
  const cls = enhancedClasses[p.cls][lang];
  const meaning = enhancedDetails[`${p.subject}.${p.detail}`] ?? enhancedSubjects[p.subject];
  return meaning ? `${cls} – ${meaning[lang]}` : cls;
}
