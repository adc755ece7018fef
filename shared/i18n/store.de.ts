/** Deutsche Texte für Speicher-, Konto- und Schlüsselbund-Fehler. Schlüssel wie in store.en.ts (ein Test prüft beide). */
export const storeDe: Record<string, string> = {
  'store.storage.readOnly':
    'Postbote kann nicht in seinen Datenordner schreiben ({file}). Prüfen Sie, ob der Ordner existiert, Ihnen gehört und nicht auf einem schreibgeschützten Laufwerk liegt, und starten Sie Postbote neu.',
  'store.storage.diskFull':
    'Das Laufwerk mit dem Postbote-Datenordner ist voll ({file}). Es wurde nichts geändert. Schaffen Sie Platz und versuchen Sie es erneut.',
  'store.storage.damaged':
    'Die Postbote-Datenbank war beschädigt und konnte nicht gelesen werden. Sie wurde unverändert als {movedTo} aufbewahrt; ab dem nächsten Start arbeitet Postbote mit einer neuen, leeren Datenbank. Ihre Passwörter liegen weiterhin sicher im Schlüsselbund. Um alte Einträge zu retten, schicken Sie diese Datei an den Support oder öffnen Sie sie mit einem SQLite-Werkzeug.',
  'store.storage.damagedNotMoved':
    'Die Postbote-Datenbank {file} ist beschädigt und konnte nicht beiseitegelegt werden ({reason}). Es wurde nichts geändert oder gelöscht, und Postbote kann mit ihr nicht arbeiten. Verschieben oder benennen Sie die Datei selbst um (bewahren Sie sie auf, um alte Einträge zu retten) und starten Sie Postbote dann neu. Ihre Passwörter liegen weiterhin sicher im Schlüsselbund.',
  'store.storage.corrupt':
    'Postbote hat während der Arbeit einen Schaden in seiner Datenbank {file} festgestellt. Die Datei wurde nicht verschoben, ersetzt oder gelöscht, und was Sie gerade getan haben, wurde vielleicht nicht gespeichert. Beenden Sie Postbote und starten Sie es neu: Dann prüft es die Datei und legt sie, falls sie beschädigt ist, unverändert beiseite. Ihre Passwörter liegen weiterhin sicher im Schlüsselbund.',
  'store.storage.busy':
    'Die Datenbank wird gerade von einem anderen Postbote-Fenster oder -Befehl benutzt ({file}). Warten Sie einen Moment und versuchen Sie es erneut.',
  'store.storage.cannotOpen':
    'Postbote konnte seine Datenbank unter {file} nicht öffnen. Prüfen Sie, ob der Pfad ein Ordner ist, in den Sie schreiben dürfen.',
  'store.storage.io':
    'Lesen oder Schreiben der Datenbank ist fehlgeschlagen ({file}). Das Laufwerk ist vielleicht defekt oder wurde entfernt. Versuchen Sie es erneut.',
  'store.storage.failed': 'Speichern fehlgeschlagen: {reason}',
  'store.storage.tooNew':
    'Die Datenbank unter {file} stammt von einer neueren Postbote-Version (Schema {version}). Aktualisieren Sie Postbote, um sie zu verwenden; sie wurde nicht verändert.',
  'store.account.invalid': 'Das Kontofeld „{field}“ ist ungültig: {reason}.',
  'store.account.notFound': 'Dieses Konto gibt es nicht mehr.',
  'store.account.hasPendingMessages':
    'Für dieses Konto warten noch {count} Nachricht(en) im Postausgang. Senden oder verwerfen Sie sie, bevor Sie das Konto löschen.',
  'store.account.hasUnsentMessages':
    'Für dieses Konto liegen noch {count} fehlgeschlagene oder abgebrochene Nachricht(en) im Postausgang; mit dem Konto würden sie ebenfalls gelöscht. Holen Sie sie im Postausgang zurück in den Editor oder löschen Sie sie, und löschen Sie dann das Konto.',
  'store.keychain.unavailable':
    'Es ist kein Schlüsselbund verfügbar, um das Passwort sicher zu speichern ({reason}). Installieren und starten Sie unter Linux einen Secret Service wie GNOME Schlüsselbund (gnome-keyring) oder KWallet und entsperren Sie ihn. Es wurde nichts im Klartext gespeichert.',
  'store.account.passwordRequired':
    'Diese Einstellungen weichen vom gespeicherten Konto ab (Server {host}). Postbote verwendet das gespeicherte Passwort nur mit den Servereinstellungen, für die es gespeichert wurde. Geben Sie das Passwort ein, um diese Einstellungen zu testen.',
  'store.account.passwordMissing':
    'Es gibt kein Passwort, um sich als {username} anzumelden: Für dieses Konto ist keines im Schlüsselbund gespeichert, und es wurde keines eingegeben. Geben Sie das Passwort ein und testen Sie erneut.',
  'store.keychain.secretsNotRemoved':
    'Das Konto {address} wurde gelöscht, aber sein Passwort konnte nicht aus dem Schlüsselbund entfernt werden ({reason}). Postbote entfernt es, sobald der Schlüsselbund wieder verfügbar ist; bis dahin bleibt es dort verschlossen und wird für nichts verwendet.',
  'store.identity.nameTooLong': 'Der Absendername ist zu lang: höchstens {max} Zeichen.',
  'store.identity.nameLineBreak': 'Der Absendername muss in eine Zeile passen: Entfernen Sie den Zeilenumbruch.',
  'store.identity.addressMissing': 'Geben Sie die E-Mail-Adresse ein, von der diese Identität sendet.',
  'store.identity.addressInvalid': '„{address}“ ist keine gültige E-Mail-Adresse. Eine Adresse braucht einen Namen, ein @-Zeichen und eine Domain, etwa anna@example.de.',
  'store.identity.replyToInvalid': 'Die Antwortadresse „{address}“ ist keine gültige E-Mail-Adresse. Korrigieren Sie sie, oder lassen Sie das Feld leer, damit Antworten an die Absenderadresse gehen.',
  'store.identity.signatureTooLong': 'Die Signatur ist zu lang: höchstens {max} Zeichen.',
  'store.identity.duplicate':
    'Dieses Konto hat den Absender {sender} schon. Geben Sie dieser Identität einen anderen Namen oder eine andere Adresse, damit sich beide in der Absenderliste unterscheiden lassen.',
  'store.identity.notFound': 'Diese Identität gibt es nicht mehr. Vielleicht wurde sie in einem anderen Fenster entfernt.',
  'store.identity.tooMany': 'Ein Konto kann höchstens {max} Identitäten haben. Entfernen Sie eine, die Sie nicht mehr verwenden, und fügen Sie dann die neue hinzu.',
  'store.outbox.notFound': 'Diese Nachricht ist nicht mehr im Postausgang.',
  'store.outbox.transitionRefused':
    'Diese Nachricht konnte nicht geändert werden: Sie ist jetzt „{state}“ (gewünscht: „{to}“). Vermutlich hat ein anderes Fenster oder ein anderer Vorgang sie schon bearbeitet.',
  'store.outbox.invalid': 'Der Postausgangs-Eintrag ist ungültig ({field}: {reason}).',
  'store.draft.invalid': 'Der Entwurf konnte nicht gespeichert werden: Er hat nicht das erwartete Format.',
  'store.draft.notFound': 'Diesen Entwurf gibt es nicht mehr. Vielleicht wurde er in einem anderen Fenster gesendet oder verworfen.',
  'store.log.invalid': 'Der Sendeprotokoll-Eintrag ist ungültig ({field}: {reason}).',
  'store.log.invalidQuery': 'Der Filter für das Sendeprotokoll ist ungültig: {reason}.',
  'store.log.invalidCursor': 'Die Seitenmarke des Sendeprotokolls ist ungültig. Laden Sie die Liste neu.',
  'store.log.notFound': 'Diesen Sendeprotokoll-Eintrag gibt es nicht mehr.',
  'store.settings.invalid': 'Die Einstellung „{field}“ hat einen unzulässigen Wert.',
};
