/** English texts for storage, account and keychain errors. Keys as in store.de.ts (a test checks both). */
export const storeEn: Record<string, string> = {
  'store.storage.readOnly':
    'Postbote cannot write to its data folder ({file}). Check that the folder exists, belongs to you and is not on a read-only drive, then start Postbote again.',
  'store.storage.diskFull':
    'The disk holding the Postbote data folder is full ({file}). Nothing was changed. Free some space and try again.',
  'store.storage.damaged':
    'The Postbote database was damaged and could not be read. It was kept unchanged as {movedTo}; from the next start on, Postbote works with a new, empty database. Your passwords are safe in the keychain. To recover old entries, send that file to support or open it with an SQLite tool.',
  'store.storage.damagedNotMoved':
    'The Postbote database {file} is damaged, and it could not be set aside ({reason}). Nothing was changed or deleted, and Postbote cannot work with it. Move or rename the file yourself (keep it to recover old entries), then start Postbote again. Your passwords are safe in the keychain.',
  'store.storage.corrupt':
    'Postbote found damage in its database {file} while working. The file was not moved, replaced or deleted, and what you just did may not have been saved. Quit Postbote and start it again: it then checks the file and, if it is damaged, keeps it aside unchanged. Your passwords are safe in the keychain.',
  'store.storage.busy':
    'The database is busy in another Postbote window or command ({file}). Wait a moment and try again.',
  'store.storage.cannotOpen': 'Postbote could not open its database at {file}. Check that the path is a folder you can write to.',
  'store.storage.io': 'Reading or writing the database failed ({file}). The drive may be failing or have been removed. Try again.',
  'store.storage.failed': 'Saving failed: {reason}',
  'store.storage.tooNew':
    'The database at {file} was written by a newer version of Postbote (schema {version}). Update Postbote to use it; it was not changed.',
  'store.account.invalid': 'The account field "{field}" is not valid: {reason}.',
  'store.account.notFound': 'This account no longer exists.',
  'store.account.hasPendingMessages':
    'This account still has {count} message(s) waiting in the outbox. Send or cancel them before deleting the account.',
  'store.account.hasUnsentMessages':
    'This account still has {count} failed or cancelled message(s) in the outbox, and deleting the account would delete them too. In the outbox, take them back into the editor or delete them, then delete the account.',
  'store.keychain.unavailable':
    'No keychain is available to store the password safely ({reason}). On Linux, install and start a Secret Service such as GNOME Keyring (gnome-keyring) or KWallet, and make sure it is unlocked. Nothing was stored in plain text.',
  'store.account.passwordRequired':
    'These settings differ from the saved account (server {host}). Postbote uses the stored password only with the server settings it was saved for. Type the password to test these settings.',
  'store.account.passwordMissing':
    'There is no password to sign in as {username}: none is stored in the keychain for this account, and none was typed. Enter the password, then test again.',
  'store.keychain.secretsNotRemoved':
    'The account {address} was deleted, but its password could not be removed from the keychain ({reason}). Postbote removes it the next time the keychain is available; until then it stays locked in the keychain and is used for nothing.',
  'store.identity.nameTooLong': 'The sender name is too long: at most {max} characters.',
  'store.identity.nameLineBreak': 'The sender name must fit on one line: remove the line break.',
  'store.identity.addressMissing': 'Enter the e-mail address this identity sends from.',
  'store.identity.addressInvalid': '“{address}” is not a valid e-mail address. An address needs a name, an @ sign and a domain, like anna@example.de.',
  'store.identity.replyToInvalid': 'The reply-to address “{address}” is not a valid e-mail address. Correct it, or leave the field empty so that replies go to the sender address.',
  'store.identity.signatureTooLong': 'The signature is too long: at most {max} characters.',
  'store.identity.duplicate':
    'This account already has the sender {sender}. Give this identity another name or address, so that the two can be told apart in the From list.',
  'store.identity.notFound': 'This identity no longer exists. It may have been removed in another window.',
  'store.identity.tooMany': 'An account can have at most {max} identities. Remove one you no longer use, then add the new one.',
  'store.outbox.notFound': 'This message is no longer in the outbox.',
  'store.outbox.transitionRefused':
    'This message could not be changed: it is now "{state}" (requested: "{to}"). Another window or process may have handled it already.',
  'store.outbox.invalid': 'The outbox entry is not valid ({field}: {reason}).',
  'store.draft.invalid': 'The draft could not be saved: it is not in the expected format.',
  'store.draft.notFound': 'This draft no longer exists. It may have been sent or discarded in another window.',
  'store.log.invalid': 'The send-log entry is not valid ({field}: {reason}).',
  'store.log.invalidQuery': 'The send-log filter is not valid: {reason}.',
  'store.log.invalidCursor': 'The send-log page marker is not valid. Reload the list.',
  'store.log.notFound': 'This send-log entry no longer exists.',
  'store.settings.invalid': 'The setting "{field}" has a value that is not allowed.',
};
