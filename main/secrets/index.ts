export { SECRET_SERVICE, secretKinds, secretKey, deleteAllSecrets, type SecretStore } from './secret-store.js';
export { KeytarSecretStore, keychainUnavailable, type KeytarSecretStoreOptions } from './keytar-secret-store.js';
