/**
 * SecretStore over keytar (libsecret on Linux, Keychain on macOS, Credential Vault on
 * Windows). keytar is loaded on first use, so a missing native module or a desktop
 * without a Secret Service shows up as a `keychain.unavailable` error at the moment a
 * secret is needed — with what to install — instead of a crash at start-up.
 */
import type { SecretKind } from '../../shared/account.js';
import { storeError, type StoreError } from '../store/errors.js';
import { SECRET_SERVICE, secretKey, type SecretStore } from './secret-store.js';

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const isKeytar = (m: unknown): m is KeytarApi =>
  typeof m === 'object' && m !== null && typeof (m as KeytarApi).getPassword === 'function' && typeof (m as KeytarApi).setPassword === 'function';

export const keychainUnavailable = (reason: string, cause?: unknown): StoreError =>
  storeError('keychain.unavailable', { platform: process.platform, reason }, `keychain unavailable: ${reason}`, { cause });

export interface KeytarSecretStoreOptions {
  service?: string;
  /** Loads keytar; tests replace it to simulate a missing module. */
  load?: () => Promise<unknown>;
}

export class KeytarSecretStore implements SecretStore {
  readonly backend = 'keytar';
  private readonly service: string;
  private readonly load: () => Promise<unknown>;
  private api: Promise<KeytarApi> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? SECRET_SERVICE;
    this.load = options.load ?? (() => import('keytar'));
  }

  private keytar(): Promise<KeytarApi> {
    this.api ??= this.load().then(
      (mod) => {
        const candidate = (mod as { default?: unknown }).default ?? mod;
        if (!isKeytar(candidate)) throw keychainUnavailable('the keytar module has an unexpected shape');
        return candidate;
      },
      (e: unknown) => {
        this.api = undefined;
        throw keychainUnavailable(`the keytar module could not be loaded: ${e instanceof Error ? e.message : String(e)}`, e);
      },
    );
    return this.api;
  }

  /** Runs a keychain call; any failure of the backend becomes keychain.unavailable (the secret was not stored anywhere else). */
  private async call<T>(fn: (k: KeytarApi) => Promise<T>): Promise<T> {
    const k = await this.keytar();
    try {
      return await fn(k);
    } catch (e) {
      throw keychainUnavailable(e instanceof Error ? e.message : String(e), e);
    }
  }

  async get(accountId: string, kind: SecretKind): Promise<string | undefined> {
    const v = await this.call((k) => k.getPassword(this.service, secretKey(accountId, kind)));
    return v ?? undefined;
  }

  async set(accountId: string, kind: SecretKind, secret: string): Promise<void> {
    if (secret.length === 0) throw storeError('account.invalid', { field: 'secret', reason: 'empty' }, 'an empty secret cannot be stored');
    await this.call((k) => k.setPassword(this.service, secretKey(accountId, kind), secret));
  }

  delete(accountId: string, kind: SecretKind): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, secretKey(accountId, kind)));
  }

  async has(accountId: string, kind: SecretKind): Promise<boolean> {
    return (await this.get(accountId, kind)) !== undefined;
  }
}
