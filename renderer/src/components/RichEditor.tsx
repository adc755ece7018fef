import { useEffect, useRef, type ClipboardEvent } from 'react';
import { safeHref, sanitizeHtml } from '../../../shared/sanitize-html.js';
import { useI18n } from '../i18n.js';
import { Icon, type IconName } from './Icon.js';

type Command = 'bold' | 'italic' | 'underline' | 'insertUnorderedList' | 'insertOrderedList' | 'link' | 'quote';

/**
 * Rich text on contenteditable with a small toolbar. The HTML is cleaned by the shared
 * allow-list sanitiser on paste and on every change, so what is saved and sent never
 * carries scripts, styles or foreign attributes. (TipTap would replace this; see README.)
 */
export function RichEditor({ html, onChange, labelledBy, id }: { html: string; onChange(html: string): void; labelledBy: string; id: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const last = useRef<string>('');

  useEffect(() => {
    const el = ref.current;
    if (el && html !== last.current) { el.innerHTML = sanitizeHtml(html); last.current = html; }
  }, [html]);

  const emit = () => {
    const el = ref.current;
    if (!el) return;
    const clean = sanitizeHtml(el.innerHTML);
    last.current = clean;
    onChange(clean);
  };
  function run(command: Command) {
    ref.current?.focus();
    if (command === 'link') {
      const target = window.prompt(t('editor.linkPrompt'), 'https://');
      const href = target ? safeHref(target) : undefined;
      if (href) document.execCommand('createLink', false, href);
    } else if (command === 'quote') {
      document.execCommand('formatBlock', false, 'blockquote');
    } else {
      document.execCommand(command);
    }
    emit();
  }
  function onPaste(e: ClipboardEvent<HTMLDivElement>) {
    e.preventDefault();
    const htmlData = e.clipboardData.getData('text/html');
    if (htmlData) document.execCommand('insertHTML', false, sanitizeHtml(htmlData));
    else document.execCommand('insertText', false, e.clipboardData.getData('text/plain'));
    emit();
  }
  const buttons: Array<{ command: Command; label: string; glyph?: string; icon?: IconName; shortcut?: string }> = [
    { command: 'bold', label: t('editor.bold'), glyph: 'B', shortcut: 'Ctrl+B' },
    { command: 'italic', label: t('editor.italic'), glyph: 'I', shortcut: 'Ctrl+I' },
    { command: 'underline', label: t('editor.underline'), glyph: 'U', shortcut: 'Ctrl+U' },
    { command: 'insertUnorderedList', label: t('editor.bullets'), icon: 'bullets' },
    { command: 'insertOrderedList', label: t('editor.numbers'), icon: 'numbers' },
    { command: 'quote', label: t('editor.quote'), icon: 'quote' },
    { command: 'link', label: t('editor.link'), icon: 'link' },
  ];
  return (
    <div className="rich-editor">
      <div className="rich-editor__toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {buttons.map((b) => (
          <button key={b.command} type="button" className={`tool tool--${b.command}`} aria-label={b.label}
            title={b.shortcut ? `${b.label} (${b.shortcut})` : b.label} onMouseDown={(e) => e.preventDefault()} onClick={() => run(b.command)}>
            {b.icon ? <Icon name={b.icon} size={16} /> : <span aria-hidden="true">{b.glyph}</span>}
          </button>
        ))}
      </div>
      <div ref={ref} id={id} className="rich-editor__body body-editor" contentEditable suppressContentEditableWarning role="textbox"
        aria-multiline="true" aria-labelledby={labelledBy} tabIndex={0} onInput={emit} onBlur={emit} onPaste={onPaste} />
    </div>
  );
}
