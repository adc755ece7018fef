import { useEffect, useState } from 'react';
import type { Account } from '../../shared/account.js';
import { call, subscribe } from './api.js';

/** The account list, kept current through the accounts.changed event; null while loading. */
export function useAccounts(): Account[] | null {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  useEffect(() => {
    let alive = true;
    call('accounts.list').then((list) => { if (alive) setAccounts(list); }).catch(() => { if (alive) setAccounts([]); });
    const off = subscribe('accounts.changed', setAccounts);
    return () => { alive = false; off(); };
  }, []);
  return accounts;
}
