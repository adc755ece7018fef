import { useEffect, useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { parseAddressList } from '../../../shared/address.js';
import type { AddressSuggestionView } from '../../../shared/contract/compose.js';
import { call } from '../api.js';
import { useI18n } from '../i18n.js';
import { Icon } from './Icon.js';

export interface Chip { text: string; problem?: string }

/** What is wrong with one typed recipient, in words; undefined when it is fine. */
export function useChipCheck(): (text: string) => string | undefined {
  const { t } = useI18n();
  return (text) => {
    const parsed = parseAddressList(text);
    if (parsed.mailboxes.length === 0) return t('address.empty', { address: text });
    const issue = parsed.issues[0];
    return issue ? t(issue.key, { ...issue.params }) : undefined;
  };
}

/**
 * Recipients as chips: typing a comma, semicolon, Enter or Tab (or leaving the field) turns
 * the text into a chip that is checked at once; Backspace in an empty field edits the last
 * chip. Suggestions come from the address history as you type (arrow keys + Enter).
 */
export function AddressField({ label, values, onChange, autoFocus, id: givenId }: {
  label: string; values: string[]; onChange(values: string[]): void; autoFocus?: boolean; id?: string;
}) {
  const { t } = useI18n();
  const check = useChipCheck();
  const fallbackId = useId();
  const id = givenId ?? fallbackId;
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<AddressSuggestionView[]>([]);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = `${id}-suggestions`;
  const problemId = `${id}-problem`;

  useEffect(() => {
    const prefix = text.trim();
    if (prefix.length < 1) { setSuggestions([]); return; }
    let alive = true;
    const timer = window.setTimeout(() => {
      call('addresses.suggest', prefix, 6)
        .then((list) => { if (alive) { setSuggestions(list.filter((s) => !values.includes(s.address))); setActive(0); } })
        .catch(() => undefined);
    }, 90);
    return () => { alive = false; window.clearTimeout(timer); };
  }, [text, values]);

  function commit(raw: string) {
    const parts = splitTyped(raw);
    if (parts.length === 0) return;
    onChange([...values, ...parts.filter((p) => !values.includes(p))]);
    setText('');
    setSuggestions([]);
  }
  const pick = (s: AddressSuggestionView) => commit(s.name ? `${quoteName(s.name)} <${s.address}>` : s.address);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const open = suggestions.length > 0;
    if (open && e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % suggestions.length); return; }
    if (open && e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a - 1 + suggestions.length) % suggestions.length); return; }
    if (open && e.key === 'Escape') { e.preventDefault(); setSuggestions([]); return; }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { if (text.trim()) commit(text); return; }
    if (e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey && text.trim() !== '')) {
      const chosen = open ? suggestions[active] : undefined;
      if (chosen) { e.preventDefault(); pick(chosen); return; }
      if (text.trim()) { if (e.key === 'Enter') e.preventDefault(); commit(text); }
      return;
    }
    if (e.key === ',' || e.key === ';') { e.preventDefault(); commit(text); return; }
    if (e.key === 'Backspace' && text === '' && values.length > 0) {
      e.preventDefault();
      const last = values[values.length - 1] ?? '';
      onChange(values.slice(0, -1));
      setText(last);
    }
  }
  function onPaste(e: ClipboardEvent<HTMLInputElement>) {
    const pasted = e.clipboardData.getData('text');
    if (/[,;\n]/.test(pasted)) { e.preventDefault(); commit(text + pasted); }
  }

  const problems = values.map((v) => ({ v, problem: check(v) })).filter((x) => x.problem);
  const typedProblem = text.trim() && /[,;]$/.test(text) ? check(text) : undefined;
  return (
    <div className="address-field">
      <label htmlFor={id} className="address-field__label">{label}</label>
      <div className={`address-field__box${problems.length ? ' address-field__box--invalid' : ''}`} onClick={() => inputRef.current?.focus()}>
        <ul className="chips" aria-label={t('compose.recipientsOf', { field: label })}>
          {values.map((v, i) => {
            const problem = check(v);
            return (
              <li key={`${v}-${i}`} className={`chip${problem ? ' chip--invalid' : ''}`} title={problem ?? v}>
                {problem ? <Icon name="warning" size={14} /> : null}
                <span className="chip__text">{v}</span>
                <button type="button" className="chip__remove" aria-label={t('compose.removeRecipient', { address: v })}
                  onClick={(e) => { e.stopPropagation(); onChange(values.filter((_, j) => j !== i)); }}>
                  <Icon name="close" size={12} />
                </button>
              </li>
            );
          })}
        </ul>
        <input ref={inputRef} id={id} type="text" className="address-field__input" value={text} autoFocus={autoFocus}
          autoComplete="off" spellCheck={false} role="combobox" aria-expanded={suggestions.length > 0} aria-controls={listId}
          aria-autocomplete="list" aria-activedescendant={suggestions.length > 0 ? `${listId}-${active}` : undefined}
          aria-invalid={problems.length > 0 || undefined} aria-describedby={problems.length > 0 || typedProblem ? problemId : undefined}
          onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} onPaste={onPaste}
          onBlur={() => window.setTimeout(() => { if (inputRef.current && document.activeElement !== inputRef.current && inputRef.current.value.trim()) commit(inputRef.current.value); setSuggestions([]); }, 120)} />
      </div>
      <ul id={listId} role="listbox" className="suggestions" hidden={suggestions.length === 0} aria-label={t('compose.suggestions')}>
        {suggestions.map((s, i) => (
          <li key={s.address} id={`${listId}-${i}`} role="option" aria-selected={i === active} className="suggestion"
            onMouseDown={(e) => { e.preventDefault(); pick(s); }}>
            <span className="suggestion__avatar" aria-hidden="true">{(s.name ?? s.address).slice(0, 1).toUpperCase()}</span>
            <span className="suggestion__name">{s.name ?? s.address}</span>
            {s.name ? <span className="suggestion__address">{s.address}</span> : null}
          </li>
        ))}
      </ul>
      {problems.length > 0 || typedProblem ? (
        <p className="field-error" id={problemId} role="alert">{problems[0]?.problem ?? typedProblem}</p>
      ) : null}
    </div>
  );
}

const quoteName = (name: string): string => (/[",;<>@()[\]\\:]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name);

/** Splits typed text into recipients at commas and semicolons outside quotes and angle brackets. */
export function splitTyped(raw: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if (!quoted && angle === 0 && (ch === ',' || ch === ';' || ch === '\n')) { if (current.trim()) out.push(current.trim()); current = ''; continue; }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
