/** English texts for the composer's refusals (main/mime ComposeError keys: err.compose.*). */
export const composeEn: Record<string, string> = {
  'err.compose.headerInjection': 'The {field} contains a line break ({value}). Line breaks are not allowed there; please remove it.',
  'err.compose.invalidAddress': 'The address “{address}” is not valid. Please check it and correct it.',
  'err.compose.smtpUtf8Required': 'The address {address} contains non-Latin characters before the @, and this server cannot deliver such addresses (it does not offer SMTPUTF8). Use an address with only Latin letters, or send through another account.',
  'err.compose.noRecipients': 'The message has no recipient. Add at least one address in To, Cc or Bcc.',
  'err.compose.invalidHeader': 'The header {name} is too long to be sent. Please shorten it.',
  'err.compose.reservedHeader': 'The header {name} is set by Postbote itself and cannot be set by hand.',
  'err.compose.invalidMessageId': '“{value}” is not a valid message ID, so the reply cannot be linked to the original message.',
  'err.compose.attachmentNotFound': 'The attachment {path} cannot be read ({systemCode}). It may have been moved or deleted; please attach it again.',
  'err.compose.attachmentNotAFile': '{path} is not a file (perhaps a folder) and cannot be attached.',
  'err.compose.attachmentChanged': 'The attachment {path} changed while the message was being sent. Sending was stopped; the message will be sent again with the file as it is now.',
  'err.compose.invalidDraft': 'The message could not be prepared: {field} is not valid ({reason}).',
  'err.compose.invalidMessage': 'The message given on standard input is not a valid e-mail message ({reason}).',
};
