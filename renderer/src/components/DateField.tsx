import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { formatIsoDate, parseTypedDate, shiftIsoDate, todayIso } from '../date-input.js';
import { useI18n } from '../i18n.js';

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
