export { SECRET_SERVICE, secretKinds, secretKey, deleteAllSecrets, secretStatusOf, type SecretStatus, type SecretStore } from './secret-store.js';
export { KeytarSecretStore, keychainUnavailable, type KeytarSecretStoreOptions } from './keytar-secret-store.js';
