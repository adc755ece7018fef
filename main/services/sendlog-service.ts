/** The send-log part of the contract: pages of summaries and single entries. */
import type { ServiceOf } from '../../shared/contract/define.js';
import type { sendLogMethods } from '../../shared/contract/sendlog.js';
import type { Database } from '../store/database.js';
import { storeError } from '../store/errors.js';
import { createSendLogRepository } from '../store/sendlog.js';

export type SendLogService = ServiceOf<typeof sendLogMethods>;

export function createSendLogService(deps: { db: Database }): SendLogService {
  const repo = createSendLogRepository(deps.db);
  return {
    'log.list': async (query) => repo.list(query),
    'log.get': async (id) => {
      const entry = repo.get(id);
      if (!entry) throw storeError('log.notFound', { id }, `no send-log entry ${id}`);
      return entry;
    },
  };
}
