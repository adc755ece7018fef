/**
 * A keychain that lives in memory, for tests and benchmarks that measure something other
 * than the keychain (the real one is tested against GNOME Keyring in main/secrets). Never
 * used by the app: passwords only ever go to the OS keychain there.
 */
import type { SecretKind } from '../../shared/account.js';
import type { SecretStore } from '../secrets/secret-store.js';

export class MemorySecretStore implements SecretStore {
  readonly backend: string;
  private readonly entries = new Map<string, string>();
  constructor(backend = 'memory (test)') {
    this.backend = backend;
  }
  async get(id: string, kind: SecretKind): Promise<string | undefined> { return this.entries.get(`${id}:${kind}`); }
  async set(id: string, kind: SecretKind, secret: string): Promise<void> { this.entries.set(`${id}:${kind}`, secret); }
  async delete(id: string, kind: SecretKind): Promise<boolean> { return this.entries.delete(`${id}:${kind}`); }
  async has(id: string, kind: SecretKind): Promise<boolean> { return this.entries.has(`${id}:${kind}`); }
}
