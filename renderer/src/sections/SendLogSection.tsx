import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Account } from '../../../shared/account.js';
import { ExplanationSchema, renderExplanation } from '../../../shared/explanation.js';
import type { SendLogEntry, SendLogQuery, SendLogStatus, SendLogSummary } from '../../../shared/sendlog.js';
import { ApiFailure, call, subscribe } from '../api.js';
import { DateField } from '../components/DateField.js';
import { ExplanationView } from '../components/ExplanationView.js';
import { Icon } from '../components/Icon.js';
import { useToasts } from '../components/Toasts.js';
import { useI18n, type I18n } from '../i18n.js';
import { useAccounts } from '../use-accounts.js';
import { stateTone } from './OutboxSection.js';
import type { SectionProps } from './index.js';

const statuses: SendLogStatus[] = ['sent', 'sentWithWarnings', 'deferred', 'failed', 'unconfirmed', 'cancelled'];
const ROW_HEIGHT = 60;
const PAGE = 500;
/** Ask for the next page while this many loaded rows are still ahead (a few hundred ms of fast scrolling). */
const PREFETCH_ROWS = 400;

interface Filters { status: SendLogStatus | ''; accountId: string; from: string; to: string; search: string }
const noFilters: Filters = { status: '', accountId: '', from: '', to: '', search: '' };

function toQuery(f: Filters): SendLogQuery {
  return {
    limit: PAGE,
    ...(f.status ? { status: [f.status] } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.from ? { from: new Date(`${f.from}T00:00:00`).getTime() } : {}),
    ...(f.to ? { to: new Date(`${f.to}T00:00:00`).getTime() + 24 * 3600 * 1000 } : {}),
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
  };
}

export function SendLogSection(_props: SectionProps) {
  const { t } = useI18n();
  const accounts = useAccounts();
  const ids = { status: useId(), account: useId(), search: useId(), list: useId() };
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [search, setSearch] = useState('');
  const [entries, setEntries] = useState<SendLogSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const generation = useRef(0);
  const loadingMore = useRef(false);

  // Unchanged search text keeps the filters object (no second load when the screen opens).
  useEffect(() => { const timer = window.setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 200); return () => window.clearTimeout(timer); }, [search]);

  const load = useCallback((f: Filters) => {
    const gen = ++generation.current;
    setLoading(true);
    call('log.list', toQuery(f))
      .then((page) => { if (gen !== generation.current) return; setEntries(page.entries); setCursor(page.nextCursor); setError(null); setActive(0); })
      .catch((failure: unknown) => { if (gen === generation.current) setError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure)); })
      .finally(() => { if (gen === generation.current) setLoading(false); });
  }, [t]);
  useEffect(() => { load(filters); }, [filters, load]);
  useEffect(() => subscribe('log.appended', () => load(filters)), [filters, load]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    const gen = generation.current;
    call('log.list', { ...toQuery(filters), before: cursor })
      .then((page) => { if (gen !== generation.current) return; setEntries((e) => [...e, ...page.entries]); setCursor(page.nextCursor); })
      .catch(() => undefined)
      .finally(() => { loadingMore.current = false; });
  }, [cursor, filters]);

  const pick = useCallback((index: number, id: number) => { setActive(index); setSelected(id); }, []);

  const accountName = useCallback((id: string | null) => accounts?.find((a: Account) => a.id === id)?.address ?? '', [accounts]);
  return (
    <div className="page page--wide page--log">
      <header className="page__header">
        <div>
          <h1>{t('section.log.title')}</h1>
          <p>{t('log.subtitle')}</p>
        </div>
      </header>
      <div className="log-filters" role="search" aria-label={t('log.filters')}>
        <div className="field field--search">
          <label htmlFor={ids.search}>{t('log.searchLabel')}</label>
          <span className="field__icon" aria-hidden="true"><Icon name="search" size={16} /></span>
          <input id={ids.search} type="search" placeholder={t('log.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('log.status')}</label>
          <select id={ids.status} value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value as SendLogStatus | '' }))}>
            <option value="">{t('log.status.all')}</option>
            {statuses.map((s) => <option key={s} value={s}>{t(`state.${s}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.account}>{t('log.account')}</label>
          <select id={ids.account} value={filters.accountId} onChange={(e) => setFilters((f) => ({ ...f, accountId: e.target.value }))}>
            <option value="">{t('log.account.all')}</option>
            {(accounts ?? []).map((a) => <option key={a.id} value={a.id}>{a.address}</option>)}
          </select>
        </div>
        <DateField label={t('log.from')} value={filters.from} onChange={(from) => setFilters((f) => ({ ...f, from }))} />
        <DateField label={t('log.to')} value={filters.to} onChange={(to) => setFilters((f) => ({ ...f, to }))} />
      </div>
      {error ? <div className="banner banner--error" role="alert">{error}</div> : null}
      <div className="log-split">
        <div className="log-list card">
          <div className="log-list__count muted" aria-live="polite">
            {loading ? t('common.loading') : t(cursor ? 'log.countMore' : entries.length === 1 ? 'log.countOne' : 'log.count', { n: entries.length })}
          </div>
          {!loading && entries.length === 0 ? (
            <div className="empty"><h2>{t('log.empty.title')}</h2><p>{t(filters === noFilters ? 'log.empty.body' : 'log.empty.filtered')}</p></div>
          ) : null}
          <LogList listId={ids.list} label={t('log.entries')} entries={entries} active={active} selected={selected}
            onActive={setActive} onPick={pick} loadMore={loadMore} />
        </div>
        <div className="log-detail card" aria-live="polite">
          {selected === null ? (
            <div className="empty"><Icon name="log" size={28} /><p>{t('log.pickOne')}</p></div>
          ) : <LogDetail id={selected} accountName={accountName} />}
        </div>
      </div>
    </div>
  );
}

/**
 * The virtualised list on its own: scrolling re-renders this component and the rows that
 * come into view, never the filters or the detail pane. Rows have one fixed height, so
 * estimateSize is exact and nothing is measured while scrolling; the next page is asked
 * for well before its rows are needed.
 */
const LogList = memo(function LogList({ listId, label, entries, active, selected, onActive, onPick, loadMore }: {
  listId: string; label: string; entries: SendLogSummary[]; active: number; selected: number | null;
  onActive(index: number): void; onPick(index: number, id: number): void; loadMore(): void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: entries.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  // On every new list, not only a longer one: a page asked for while the filters changed is
  // dropped, and the fresh first page must ask again even when the window has not moved.
  useEffect(() => { if (lastIndex >= entries.length - PREFETCH_ROWS) loadMore(); }, [lastIndex, entries, loadMore]);

  function onListKey(e: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(entries.length - 1, active + (moves[e.key] ?? 0)));
      onActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const entry = entries[active];
      if (entry) onPick(active, entry.id);
    }
  }
  const activeId = entries[active] ? `${listId}-${entries[active].id}` : undefined;
  return (
    <div ref={parentRef} id={listId} className="log-list__scroll" role="listbox" tabIndex={0} aria-label={label}
      aria-activedescendant={activeId} onKeyDown={onListKey} hidden={entries.length === 0}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => {
          const e = entries[row.index];
          // Keyed by slot, not by entry: a row leaving the window is reused for one coming in,
          // so scrolling changes texts in place instead of building and dropping elements.
          return e ? (
            <LogRow key={row.index % items.length} entry={e} index={row.index} domId={`${listId}-${e.id}`} top={row.start} selected={selected === e.id} active={row.index === active}
              onPick={onPick} />
          ) : null;
        })}
      </div>
    </div>
  );
});

/** One row of the list; memoised so scrolling renders only the rows that come into view. */
const LogRow = memo(function LogRow({ entry: e, index, domId, top, selected, active, onPick }: {
  entry: SendLogSummary; index: number; domId: string; top: number; selected: boolean; active: boolean; onPick(index: number, id: number): void;
}) {
  const { t, formatDateTime, formatBytes } = useI18n();
  return (
    <div id={domId} role="option" aria-selected={selected}
      className={`log-row${selected ? ' log-row--selected' : ''}${active ? ' log-row--active' : ''}`}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      onClick={() => onPick(index, e.id)}>
      <span className={`dot dot--${stateTone(e.status)}`} aria-hidden="true" />
      <div className="log-row__main">
        <div className="log-row__top">
          <strong className="log-row__subject">{e.subject || t('compose.noSubject')}</strong>
          <span className="log-row__time muted">{formatDateTime(e.time)}</span>
        </div>
        <div className="log-row__bottom muted">
          <span className="log-row__status">{t(`state.${e.status}`)}</span>
          <span className="log-row__to">{e.recipients.join(', ')}</span>
          {e.size !== null ? <span className="log-row__size">{formatBytes(e.size)}</span> : null}
        </div>
      </div>
    </div>
  );
});

/** The entry as text for a support desk: explanation, recipients, timings, TLS, transcript. */
export function entryAsText(e: SendLogEntry, i18n: I18n): string {
  const { t, lang, formatDateTime } = i18n;
  const lines: string[] = [`${t('log.detail.status')}: ${t(`state.${e.status}`)}`, `${t('log.detail.time')}: ${formatDateTime(e.time)}`,
    `${t('compose.subject')}: ${e.subject}`, `${t('compose.from')}: ${e.envelopeFrom}`, `${t('compose.to')}: ${e.recipients.join(', ')}`];
  const expl = ExplanationSchema.safeParse(e.explanation);
  if (expl.success) {
    const w = renderExplanation(expl.data, lang);
    lines.push('', w.title, w.happened, w.cause, ...w.actions.map((a) => `- ${a}`), '', ...w.technical);
  }
  if (e.results.length) lines.push('', `${t('log.detail.recipients')}:`, ...e.results.map((r) => `  ${r.accepted ? '✓' : '✗'} ${r.address}  ${r.code}${r.enhancedCode ? ` ${r.enhancedCode}` : ''} ${r.message}`));
  if (Object.keys(e.timings).length) lines.push('', `${t('log.detail.timings')}:`, ...Object.entries(e.timings).map(([k, v]) => `  ${k}: ${Math.round(v)} ms`));
  if (e.tls) lines.push('', 'TLS:', ...flatten(e.tls).map(([k, v]) => `  ${k}: ${v}`));
  if (e.transcript.length) lines.push('', `${t('log.detail.transcript')}:`, ...e.transcript.map((l) => `${l.dir}: ${l.line}`));
  return lines.join('\n');
}

/** TLS facts as label/value pairs; nested objects (the certificate) become "certificate subject". */
function flatten(value: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  return Object.entries(value).flatMap(([k, v]): Array<[string, string]> => {
    const label = prefix ? `${prefix} ${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) return flatten(v as Record<string, unknown>, label);
    return [[label, typeof v === 'string' ? v : JSON.stringify(v)]];
  });
}

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Memoised: a page arriving in the list does not re-render the entry being read. */
const LogDetail = memo(function LogDetail({ id, accountName }: { id: number; accountName(id: string | null): string }) {
  const i18n = useI18n();
  const { t, formatDateTime, formatBytes } = i18n;
  const toasts = useToasts();
  const [entry, setEntry] = useState<SendLogEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setEntry(null);
    call('log.get', id).then((e) => { if (alive) setEntry(e); }).catch((f: unknown) => { if (alive) setError(f instanceof ApiFailure ? t(f.error.messageKey, f.error.params) : String(f)); });
    return () => { alive = false; };
  }, [id, t]);
  const timings = useMemo(() => Object.entries(entry?.timings ?? {}).filter(([phase]) => phase !== 'total'), [entry]);
  if (error) return <div className="banner banner--error" role="alert">{error}</div>;
  if (!entry) return <p className="muted" aria-busy="true">{t('common.loading')}</p>;
  const maxTiming = Math.max(1, ...timings.map(([, v]) => v));
  const phaseLabel = (phase: string) => { const key = `phase.${phase}`; const words = t(key); return words === key ? phase : words; };
  const text = () => entryAsText(entry, i18n);
  return (
    <article className="log-detail__inner" aria-labelledby="log-detail-title">
      <header className="log-detail__head">
        <div>
          <span className={`badge badge--${stateTone(entry.status)}`}>{t(`state.${entry.status}`)}</span>
          <h2 id="log-detail-title">{entry.subject || t('compose.noSubject')}</h2>
          <p className="muted">{formatDateTime(entry.time)} · {accountName(entry.accountId) || entry.envelopeFrom}{entry.size !== null ? ` · ${formatBytes(entry.size)}` : ''}{entry.durationMs !== null ? ` · ${entry.durationMs} ms` : ''}</p>
        </div>
        <div className="log-detail__tools">
          <button type="button" className="btn btn--small" onClick={() => { void navigator.clipboard.writeText(text()).then(() => toasts.show({ tone: 'success', title: t('log.copied') }), () => toasts.show({ tone: 'error', title: t('log.copyFailed') })); }}>{t('log.copy')}</button>
          <button type="button" className="btn btn--small" onClick={() => download(`postbote-log-${entry.id}.txt`, 'text/plain;charset=utf-8', text())}>{t('log.exportText')}</button>
          <button type="button" className="btn btn--small" onClick={() => download(`postbote-log-${entry.id}.json`, 'application/json', JSON.stringify(entry, null, 2))}>{t('log.exportJson')}</button>
        </div>
      </header>

      {entry.explanation || entry.error ? <ExplanationView explanation={entry.explanation} error={entry.error} /> : null}

      <section aria-labelledby="log-recipients">
        <h3 id="log-recipients">{t('log.detail.recipients')}</h3>
        {entry.results.length === 0 ? <p className="muted">{t('log.detail.noResults')}</p> : (
          <table className="results">
            <thead><tr><th scope="col">{t('log.detail.recipient')}</th><th scope="col">{t('log.detail.result')}</th><th scope="col">{t('log.detail.reply')}</th></tr></thead>
            <tbody>
              {entry.results.map((r) => (
                <tr key={r.address} className={r.accepted ? 'results__ok' : 'results__refused'}>
                  <td>{r.address}</td>
                  <td><span className={`badge badge--${r.accepted ? 'success' : 'danger'}`}>{t(r.accepted ? 'log.detail.accepted' : 'log.detail.refused')}</span></td>
                  <td className="mono">{r.code}{r.enhancedCode ? ` ${r.enhancedCode}` : ''} {r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {timings.length > 0 ? (
        <section aria-labelledby="log-timings">
          <h3 id="log-timings">{t('log.detail.timings')}</h3>
          <dl className="timings">
            {timings.map(([phase, ms]) => (
              <div key={phase} className="timings__row">
                <dt title={phase}>{phaseLabel(phase)}</dt>
                <dd><span className="timings__bar" style={{ width: `${Math.max(2, (ms / maxTiming) * 100)}%` }} /><span className="timings__ms">{Math.round(ms)} ms</span></dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      {entry.tls ? (
        <section aria-labelledby="log-tls">
          <h3 id="log-tls">{t('log.detail.tls')}</h3>
          <dl className="facts facts--tight">
            {flatten(entry.tls).map(([k, v]) => <div key={k} className="facts__pair"><dt>{k}</dt><dd>{v}</dd></div>)}
          </dl>
        </section>
      ) : null}

      <section aria-labelledby="log-transcript">
        <h3 id="log-transcript">{t('log.detail.transcript')}</h3>
        <p className="muted legend"><span className="tr-c">C</span> {t('log.legend.client')} · <span className="tr-s">S</span> {t('log.legend.server')} · <span className="tr-i">I</span> {t('log.legend.info')}</p>
        {entry.transcript.length === 0 ? <p className="muted">{t('log.detail.noTranscript')}</p> : (
          <pre className="transcript" tabIndex={0} aria-label={t('log.detail.transcript')}>
            {entry.transcript.map((l, i) => (
              <div key={i} className={`transcript__line transcript__line--${l.dir}`}>
                <span className="transcript__dir" aria-label={t(`log.legend.${l.dir === 'C' ? 'client' : l.dir === 'S' ? 'server' : 'info'}`)}>{l.dir}</span>
                <span className="transcript__phase">{l.phase}</span>
                <span className="transcript__text">{l.line}</span>
              </div>
            ))}
          </pre>
        )}
      </section>
    </article>
  );
});
