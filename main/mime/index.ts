/** The message composer's public face. */
export { composeMessage, type ComposeOptions, type ComposedMessage, type ComposedHeaders } from './compose.js';
export { readRawMessage, parseHeaderFields, CrlfNormalizer, type RawMessage, type RawMessageInfo, type RawHeaderField } from './raw-message.js';
export { ComposeError, isComposeError, type ComposeErrorKind } from './errors.js';
export { htmlToText } from './html-to-text.js';
export { contentTypeForName } from './content-types.js';
