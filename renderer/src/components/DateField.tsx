import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { clockFor, formatIsoDate, formatTime, parseTypedDate, parseTypedTime, shiftIsoDate, shiftTime, todayIso } from '../date-input.js';
import { useI18n } from '../i18n.js';
import { useAppState } from '../settings-context.js';

/**
 * A date typed in the person's language (TT.MM.JJJJ / DD/MM/YYYY), not the browser's:
 * `<input type=date>` shows mm/dd/yyyy to a German reader on an American system. The
 * value is an ISO day or ''. Arrow keys move a day, Page keys a month; what cannot be a
 * date is said when the field is left, and the filter keeps its last good value.
 */
export function DateField({ label, value, onChange }: { label: string; value: string; onChange(iso: string): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [text, setText] = useState(() => formatIsoDate(value, lang));
  const [invalid, setInvalid] = useState(false);
  const typed = useRef(text);
  typed.current = text;

  // Follow changes from outside (a reset, another language) without rewriting what is being typed.
  useEffect(() => {
    if (parseTypedDate(typed.current, lang) !== (value || null)) { setText(formatIsoDate(value, lang)); setInvalid(false); }
  }, [value, lang]);
  useEffect(() => { setText((current) => { const iso = parseTypedDate(current, lang); return iso ? formatIsoDate(iso, lang) : current; }); }, [lang]);

  const format = t('date.format');
  const commit = (next: string) => {
    setText(next);
    if (next.trim() === '') { setInvalid(false); if (value !== '') onChange(''); return; }
    const iso = parseTypedDate(next, lang);
    if (iso) { setInvalid(false); if (iso !== value) onChange(iso); }
  };
  const settle = () => {
    if (text.trim() === '') return;
    const iso = parseTypedDate(text, lang);
    if (iso) setText(formatIsoDate(iso, lang));
    else setInvalid(true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const steps: Record<string, { days?: number; months?: number }> = { ArrowUp: { days: 1 }, ArrowDown: { days: -1 }, PageUp: { months: 1 }, PageDown: { months: -1 } };
    const step = steps[e.key];
    if (step) {
      e.preventDefault();
      const from = parseTypedDate(text, lang) ?? (value || todayIso());
      const next = parseTypedDate(text, lang) || value ? shiftIsoDate(from, step) : from;
      setText(formatIsoDate(next, lang));
      setInvalid(false);
      if (next !== value) onChange(next);
    } else if (e.key === 'Enter') {
      settle();
    }
  };
  return (
    <div className="field field--date">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" inputMode="numeric" autoComplete="off" spellCheck={false} placeholder={format} value={text}
        aria-invalid={invalid || undefined} aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ''}`}
        onChange={(e) => commit(e.target.value)} onBlur={settle} onKeyDown={onKeyDown} />
      <span id={`${id}-hint`} className="visually-hidden">{t('date.hint', { format })}</span>
      {invalid ? <p id={`${id}-error`} className="field-error date-error" role="alert">{t('date.invalid', { format })}</p> : null}
    </div>
  );
}

/** Arrow keys move a quarter of an hour: the steps people schedule in. */
const TIME_STEP_MINUTES = 15;

/**
 * A time of day typed as the person reads the clock: 24 hours in German ("14:30"), in English
 * as the system's English locale does ("2:30 pm" in the US, "14:30" in the UK), where
 * `<input type=time>` would follow the browser's locale instead. The value is "HH:MM" (24 h) or ''.
 * Arrow keys move 15 minutes, Page keys an hour; what cannot be a time is said when the field is left.
 */
export function TimeField({ label, value, onChange, startAt }: { label: string; value: string; onChange(hhmm: string): void; startAt?: string }) {
  const { t, lang } = useI18n();
  const { info } = useAppState();
  const clock = clockFor(lang, info.systemLanguage);
  const id = useId();
  const [text, setText] = useState(() => formatTime(value, clock));
  const [invalid, setInvalid] = useState(false);
  const typed = useRef(text);
  typed.current = text;

  useEffect(() => {
    if (parseTypedTime(typed.current) !== (value || null)) { setText(formatTime(value, clock)); setInvalid(false); }
  }, [value, clock]);

  const format = clock === '12h' ? t('time.format.12h') : t('time.format.24h');
  const commit = (next: string) => {
    setText(next);
    if (next.trim() === '') { setInvalid(false); if (value !== '') onChange(''); return; }
    const hhmm = parseTypedTime(next);
    if (hhmm) { setInvalid(false); if (hhmm !== value) onChange(hhmm); }
  };
  const settle = () => {
    if (text.trim() === '') return;
    const hhmm = parseTypedTime(text);
    if (hhmm) setText(formatTime(hhmm, clock));
    else setInvalid(true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const steps: Record<string, number> = { ArrowUp: TIME_STEP_MINUTES, ArrowDown: -TIME_STEP_MINUTES, PageUp: 60, PageDown: -60 };
    const step = steps[e.key];
    if (step !== undefined) {
      e.preventDefault();
      const current = parseTypedTime(text) ?? (value || null);
      const next = current ? shiftTime(current, step) : (startAt ?? '09:00');
      setText(formatTime(next, clock));
      setInvalid(false);
      if (next !== value) onChange(next);
    } else if (e.key === 'Enter') {
      settle();
    }
  };
  return (
    <div className="field field--time">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" inputMode={clock === '12h' ? 'text' : 'numeric'} autoComplete="off" spellCheck={false} placeholder={format} value={text}
        aria-invalid={invalid || undefined} aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ''}`}
        onChange={(e) => commit(e.target.value)} onBlur={settle} onKeyDown={onKeyDown} />
      <span id={`${id}-hint`} className="visually-hidden">{t('time.hint', { format })}</span>
      {invalid ? <p id={`${id}-error`} className="field-error date-error" role="alert">{t('time.invalid', { format })}</p> : null}
    </div>
  );
}
