/** Deutsche Texte für Ablehnungen des Nachrichtenaufbaus (main/mime ComposeError: err.compose.*). */
import type { composeEn } from './compose.en.js';

export const composeDe: Record<keyof typeof composeEn, string> = {
  'err.compose.headerInjection': 'Das Feld {field} enthält einen Zeilenumbruch ({value}). Dort sind keine Zeilenumbrüche erlaubt; bitte entfernen Sie ihn.',
  'err.compose.invalidAddress': 'Die Adresse „{address}“ ist ungültig. Bitte prüfen und korrigieren Sie sie.',
  'err.compose.smtpUtf8Required': 'Die Adresse {address} enthält vor dem @ nicht-lateinische Zeichen, und dieser Server kann solche Adressen nicht zustellen (er bietet kein SMTPUTF8 an). Verwenden Sie eine Adresse nur mit lateinischen Buchstaben oder senden Sie über ein anderes Konto.',
  'err.compose.noRecipients': 'Die Nachricht hat keinen Empfänger. Geben Sie mindestens eine Adresse bei An, Cc oder Bcc ein.',
  'err.compose.invalidHeader': 'Die Kopfzeile {name} ist zu lang, um gesendet zu werden. Bitte kürzen Sie sie.',
  'err.compose.reservedHeader': 'Die Kopfzeile {name} setzt Postbote selbst; sie kann nicht von Hand gesetzt werden.',
  'err.compose.invalidMessageId': '„{value}“ ist keine gültige Nachrichtenkennung, daher kann die Antwort nicht mit der ursprünglichen Nachricht verknüpft werden.',
  'err.compose.attachmentNotFound': 'Der Anhang {path} lässt sich nicht lesen ({systemCode}). Vielleicht wurde er verschoben oder gelöscht; bitte fügen Sie ihn erneut an.',
  'err.compose.attachmentNotAFile': '{path} ist keine Datei (vielleicht ein Ordner) und kann nicht angehängt werden.',
  'err.compose.attachmentChanged': 'Der Anhang {path} hat sich während des Sendens geändert. Das Senden wurde abgebrochen; die Nachricht wird mit der Datei in ihrem jetzigen Stand erneut gesendet.',
  'err.compose.invalidDraft': 'Die Nachricht konnte nicht vorbereitet werden: {field} ist ungültig ({reason}).',
  'err.compose.invalidMessage': 'Die über die Standardeingabe übergebene Nachricht ist keine gültige E-Mail ({reason}).',
};
