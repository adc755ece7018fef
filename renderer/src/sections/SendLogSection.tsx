import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, startTransition, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Account } from '../../../shared/account.js';
import { ExplanationSchema, renderExplanation } from '../../../shared/explanation.js';
import { sendLogCursorOf, type SendLogEntry, type SendLogPage, type SendLogQuery, type SendLogStatus, type SendLogSummary } from '../../../shared/sendlog.js';
import './SendLogSection.css';
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
/**
 * Rows per page: small enough that a page arriving costs little (IPC, parse, the rows in view).
 * Also after a jump: 500-row pages to catch up sooner gave the long frames back on a busy machine.
 */
const PAGE = 200;
/** Rows past the visible range to have loaded before they are needed (a few hundred ms of fast scrolling). */
const AHEAD = 400;
/** Rows above the visible range to load too, so that after a jump scrolling back up shows text at once. */
const BEHIND = 100;

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

/**
 * The rows loaded so far, by row index: a sparse array, because the list can jump (End, a
 * dragged scroll bar) far past what is loaded. Mutated in place (a page is written, O(page));
 * the section's `version` counter tells React that it changed. `shifted` counts rows that new
 * entries pushed down since the first page, so a page asked for before a shift lands right.
 */
interface LoadedRows { rows: (SendLogSummary | undefined)[]; count: number; total: number; shifted: number }

export function SendLogSection(_props: SectionProps) {
  const { t, formatCount } = useI18n();
  const accounts = useAccounts();
  const ids = { status: useId(), account: useId(), search: useId(), list: useId() };
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [search, setSearch] = useState('');
  const log = useRef<LoadedRows>({ rows: [], count: 0, total: 0, shifted: 0 });
  const [version, setVersion] = useState(0);
  const [total, setTotal] = useState(0);
  const [shift, setShift] = useState({ rows: 0 });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const generation = useRef(0);
  /** The generation a page is being fetched for (-1: none): one page at a time, in order. */
  const fetching = useRef(-1);
  /** The rows the list wants loaded: the visible ones and some around them (inclusive). */
  const wanted = useRef({ from: 0, to: 0 });
  const bump = () => startTransition(() => setVersion((v) => v + 1));

  // Unchanged search text keeps the filters object (no second load when the screen opens).
  useEffect(() => { const timer = window.setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 200); return () => window.clearTimeout(timer); }, [search]);

  const fail = useCallback((gen: number, failure: unknown) => {
    if (gen === generation.current) setError(failure instanceof ApiFailure ? t(failure.error.messageKey, failure.error.params) : String(failure));
  }, [t]);

  /** A fresh first page: the list's size is its total from here on. */
  const apply = useCallback((page: SendLogPage) => {
    log.current = { rows: page.entries, count: page.entries.length, total: page.total ?? page.entries.length, shifted: 0 };
    setTotal(log.current.total);
    setVersion((v) => v + 1);
    setError(null);
    setActive(0);
  }, []);

  const load = useCallback((f: Filters) => {
    const gen = ++generation.current;
    setLoading(true);
    call('log.list', toQuery(f))
      .then((page) => { if (gen === generation.current) apply(page); })
      .catch((failure: unknown) => fail(gen, failure))
      .finally(() => { if (gen === generation.current) setLoading(false); });
  }, [apply, fail]);
  useEffect(() => { load(filters); }, [filters, load]);

  // A new entry: the first page again. Entries newer than the first loaded one go in front of
  // what is loaded (the rest stays, and so does the view); anything else starts over.
  useEffect(() => subscribe('log.appended', () => {
    const gen = generation.current;
    call('log.list', toQuery(filters))
      .then((page) => {
        if (gen !== generation.current) return;
        const loaded = log.current;
        const first = loaded.rows[0];
        const added = first ? page.entries.findIndex((e) => e.id === first.id) : -1;
        if (added < 0 || page.total !== loaded.total + added) { apply(page); return; }
        if (added === 0) return;
        loaded.rows.unshift(...page.entries.slice(0, added));
        loaded.total += added;
        loaded.count += added;
        loaded.shifted += added;
        setTotal(loaded.total);
        setVersion((v) => v + 1);
        setActive((a) => a + added);
        setShift({ rows: added });
      })
      .catch((failure: unknown) => fail(gen, failure));
  }), [filters, apply, fail]);

  /**
   * Fetches a page for the first wanted row not loaded yet, one page at a time; pages chain until
   * the wanted rows are in. After a loaded row the page continues by that row's cursor (exact even
   * while entries arrive); after a jump it is fetched by offset.
   */
  const pump = useCallback(() => {
    const gen = generation.current;
    const loaded = log.current;
    if (fetching.current === gen) return;
    const last = Math.min(wanted.current.to, loaded.total - 1);
    let hole = -1;
    for (let i = wanted.current.from; i <= last; i++) if (loaded.rows[i] === undefined) { hole = i; break; }
    if (hole < 0) return;
    const above = hole > 0 ? loaded.rows[hole - 1] : undefined;
    const shiftedAtRequest = loaded.shifted;
    fetching.current = gen;
    call('log.list', { ...toQuery(filters), ...(above ? { before: sendLogCursorOf(above) } : { offset: hole }) })
      .then((page) => {
        if (gen !== generation.current || log.current !== loaded) return;
        const start = hole + loaded.shifted - shiftedAtRequest;
        page.entries.forEach((entry, k) => {
          const i = start + k;
          if (i >= loaded.total) return;
          if (loaded.rows[i] === undefined) loaded.count += 1;
          loaded.rows[i] = entry;
        });
        bump();
      })
      .catch(() => undefined)
      .finally(() => {
        if (fetching.current !== gen) return;
        fetching.current = -1;
        if (gen === generation.current) pump();
      });
  }, [filters]);
  const want = useCallback((first: number, last: number) => { wanted.current = { from: Math.max(0, first - BEHIND), to: last + AHEAD }; pump(); }, [pump]);

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
            {loading ? t('common.loading') : t(total === 1 ? 'log.countOne' : 'log.count', { n: formatCount(total) })}
          </div>
          {!loading && total === 0 ? (
            <div className="empty"><h2>{t('log.empty.title')}</h2><p>{t(filters === noFilters ? 'log.empty.body' : 'log.empty.filtered')}</p></div>
          ) : null}
          <LogList listId={ids.list} label={t('log.entries')} loadingLabel={t('common.loading')} rows={log.current.rows} version={version}
            loadedCount={log.current.count} total={total} shift={shift} active={active} selected={selected} onActive={setActive} onPick={pick} want={want} />
        </div>
        <div className="log-detail card" aria-live="polite">
          {selected !== null ? <LogDetail id={selected} accountName={accountName} />
            : loading ? null
            : total === 0 ? <div className="empty empty--quiet"><p className="muted">{t('log.detail.emptyLog')}</p></div>
            : <div className="empty"><Icon name="log" size={28} /><p>{t('log.pickOne')}</p></div>}
        </div>
      </div>
    </div>
  );
}

/**
 * The virtualised list on its own: scrolling re-renders this component and the rows that
 * come into view, never the filters or the detail pane. Its size is the total from the first
 * page, so a page arriving changes no measurements (rows have one fixed height and
 * estimateSize is exact): the rows in view that were placeholders get their texts, nothing
 * else. Pages are asked for from BEHIND rows above the visible range to AHEAD rows past it.
 */
const LogList = memo(function LogList({ listId, label, loadingLabel, rows, version, loadedCount, total, shift, active, selected, onActive, onPick, want }: {
  listId: string; label: string; loadingLabel: string; rows: (SendLogSummary | undefined)[]; version: number; loadedCount: number; total: number;
  shift: { rows: number }; active: number; selected: number | null; onActive(index: number): void; onPick(index: number, id: number): void;
  want(first: number, last: number): void;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  // On every new version too: a page asked for while the filters changed is dropped, and the
  // fresh first page must ask again even when the window has not moved.
  useEffect(() => { want(firstIndex, lastIndex); }, [firstIndex, lastIndex, version, want]);
  // Entries written above the loaded ones: keep the rows in view where they are.
  useLayoutEffect(() => {
    const el = parentRef.current;
    if (el && shift.rows > 0 && el.scrollTop > 0) el.scrollTop += shift.rows * ROW_HEIGHT;
  }, [shift]);

  function onListKey(e: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(total - 1, active + (moves[e.key] ?? 0)));
      onActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const entry = rows[active];
      if (entry) onPick(active, entry.id);
    }
  }
  // Only a row that is in the DOM can be the active descendant (the window may be elsewhere).
  const activeInView = items.length > 0 && active >= (items[0]?.index ?? 0) && active <= lastIndex;
  const activeId = activeInView ? rowId(listId, rows[active], active) : undefined;
  return (
    <div ref={parentRef} id={listId} className="log-list__scroll" role="listbox" tabIndex={0} aria-label={label}
      aria-activedescendant={activeId} onKeyDown={onListKey} hidden={total === 0} data-loaded={loadedCount}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => {
          const e = rows[row.index];
          // Keyed by slot, not by entry: a row leaving the window is reused for one coming in,
          // so scrolling changes texts in place instead of building and dropping elements.
          return (
            <LogRow key={row.index % items.length} entry={e} index={row.index} total={total} domId={rowId(listId, e, row.index)} top={row.start}
              selected={e !== undefined && selected === e.id} active={row.index === active} loadingLabel={loadingLabel} onPick={onPick} />
          );
        })}
      </div>
    </div>
  );
});

const rowId = (listId: string, entry: SendLogSummary | undefined, index: number): string =>
  entry ? `${listId}-${entry.id}` : `${listId}-row${index}`;

/** Placeholder bars vary a little by row, so a screen of them reads as rows, not as a grid. */
const barWidths = [62, 48, 70, 55, 66, 44];

/**
 * One row of the list; memoised so scrolling renders only the rows that come into view. A row
 * whose page has not arrived is a quiet placeholder of the same height (busy, named "Loading").
 */
const LogRow = memo(function LogRow({ entry: e, index, total, domId, top, selected, active, loadingLabel, onPick }: {
  entry: SendLogSummary | undefined; index: number; total: number; domId: string; top: number; selected: boolean; active: boolean;
  loadingLabel: string; onPick(index: number, id: number): void;
}) {
  const { t, formatDateTime, formatBytes } = useI18n();
  const style = { position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${top}px)` } as const;
  if (!e) {
    const width = barWidths[index % barWidths.length] ?? 60;
    return (
      <div id={domId} role="option" aria-selected={false} aria-busy="true" aria-label={loadingLabel} aria-posinset={index + 1} aria-setsize={total}
        className={`log-row log-row--placeholder${active ? ' log-row--active' : ''}`} style={style}>
        <span className="dot log-row__ghost-dot" aria-hidden="true" />
        <div className="log-row__main" aria-hidden="true">
          <div className="log-row__top"><span className="log-row__ghost" style={{ width: `${width}%` }} /><span className="log-row__ghost log-row__ghost--time" /></div>
          <div className="log-row__bottom"><span className="log-row__ghost log-row__ghost--meta" style={{ width: `${width - 18}%` }} /></div>
        </div>
      </div>
    );
  }
  return (
    <div id={domId} role="option" aria-selected={selected} aria-posinset={index + 1} aria-setsize={total}
      className={`log-row${selected ? ' log-row--selected' : ''}${active ? ' log-row--active' : ''}`}
      style={style}
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
/** TLS facts in the person's language; a field we have no words for keeps its technical name. */
function tlsLabel(t: (key: string) => string, path: string): string {
  const key = `log.tls.${path.replace(/ /g, '.')}`;
  const text = t(key);
  return text === key ? path : text;
}
const tlsValue = (t: (key: string) => string, value: string): string =>
  value === 'true' ? t('common.yes') : value === 'false' ? t('common.no') : value;

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

/** A 4xx reply turns a recipient away for now (greylisting, a full queue), which is not the refusal a 5xx is. */
function RecipientVerdict({ accepted, code }: { accepted: boolean; code: number }) {
  const { t } = useI18n();
  if (accepted) return <span className="badge badge--success">{t('log.detail.accepted')}</span>;
  if (code >= 400 && code < 500) return <span className="badge badge--warning">{t('log.detail.postponed')}</span>;
  return <span className="badge badge--danger">{t('log.detail.refused')}</span>;
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
        <div className="log-detail__bar">
          <span className={`badge badge--${stateTone(entry.status)}`}>{t(`state.${entry.status}`)}</span>
          <div className="log-detail__tools" role="group" aria-label={t('log.detail.tools')}>
          <button type="button" className="btn btn--small" onClick={() => { void navigator.clipboard.writeText(text()).then(() => toasts.show({ tone: 'success', title: t('log.copied') }), () => toasts.show({ tone: 'error', title: t('log.copyFailed') })); }}>{t('log.copy')}</button>
          <button type="button" className="btn btn--small" onClick={() => download(`postbote-log-${entry.id}.txt`, 'text/plain;charset=utf-8', text())}>{t('log.exportText')}</button>
          <button type="button" className="btn btn--small" onClick={() => download(`postbote-log-${entry.id}.json`, 'application/json', JSON.stringify(entry, null, 2))}>{t('log.exportJson')}</button>
          </div>
        </div>
        <h2 id="log-detail-title">{entry.subject || t('compose.noSubject')}</h2>
        <p className="muted">{formatDateTime(entry.time)} · {accountName(entry.accountId) || entry.envelopeFrom}{entry.size !== null ? ` · ${formatBytes(entry.size)}` : ''}{entry.durationMs !== null ? ` · ${entry.durationMs} ms` : ''}</p>
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
                  <td><RecipientVerdict accepted={r.accepted} code={r.code} /></td>
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
            {flatten(entry.tls).map(([k, v]) => <div key={k} className="facts__pair"><dt>{tlsLabel(t, k)}</dt><dd>{tlsValue(t, v)}</dd></div>)}
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
