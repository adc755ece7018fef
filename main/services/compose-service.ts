/**
 * The compose part of the contract: autosaved drafts over the store's drafts table and
 * address suggestions over the address history.
 */
import { ComposeDraftSchema, type ComposeDraft, type composeMethods, type DraftSummary } from '../../shared/contract/compose.js';
import type { ServiceOf } from '../../shared/contract/define.js';
import type { AddressHistoryRepository, DraftRepository, StoredDraft } from '../store/index.js';
import { storeError } from '../store/errors.js';

export type ComposeService = ServiceOf<typeof composeMethods>;

export interface ComposeServiceDeps {
  drafts: DraftRepository;
  addressHistory: AddressHistoryRepository;
  onDraftsChanged?: (id: string) => void;
}

const previewOf = (d: ComposeDraft): string => {
  const source = d.mode === 'rich' ? d.html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ') : d.text;
  return source.replace(/\s+/g, ' ').trim().slice(0, 140);
};

/** A draft written by an older version (or damaged) still lists, with what can be read. */
function readDraft(stored: StoredDraft): ComposeDraft {
  const parsed = ComposeDraftSchema.safeParse(stored.draft);
  if (parsed.success) return parsed.data;
  return { accountId: stored.accountId, to: [], cc: [], bcc: [], subject: '', mode: 'plain', text: '', html: '', attachments: [] };
}

const summaryOf = (stored: StoredDraft): DraftSummary => {
  const d = readDraft(stored);
  return {
    id: stored.id,
    accountId: d.accountId,
    subject: d.subject,
    recipients: [...d.to, ...d.cc, ...d.bcc],
    preview: previewOf(d),
    attachmentCount: d.attachments.length,
    updatedAt: stored.updatedAt,
  };
};

export function createComposeService(deps: ComposeServiceDeps): ComposeService {
  return {
    'drafts.save': async ({ id, draft }) => {
      const saved = deps.drafts.save({ ...(id ? { id } : {}), accountId: draft.accountId, draft });
      deps.onDraftsChanged?.(saved.id);
      return summaryOf(saved);
    },
    'drafts.list': async () => deps.drafts.list(200).map(summaryOf),
    'drafts.get': async (id) => {
      const stored = deps.drafts.get(id);
      if (!stored) throw storeError('draft.notFound', { id }, `no draft ${id}`);
      return { id: stored.id, draft: readDraft(stored), updatedAt: stored.updatedAt };
    },
    'drafts.delete': async (id) => {
      const removed = deps.drafts.delete(id);
      if (removed) deps.onDraftsChanged?.(id);
      return removed;
    },
    'addresses.suggest': async (prefix, limit) => deps.addressHistory.suggest(prefix, limit ?? 8),
    'addresses.forget': async (address) => deps.addressHistory.forget(address),
  };
}
