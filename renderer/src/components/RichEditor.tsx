import { useEffect, useMemo, useRef, useState } from 'react';
import { EditorContent, Extension, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { StarterKit } from '@tiptap/starter-kit';
import { safeHref, sanitizeHtml } from '../../../shared/sanitize-html.js';
import { useI18n } from '../i18n.js';
import { Icon, type IconName } from './Icon.js';
import { useToasts } from './Toasts.js';

/*
 * The rich-text body editor: TipTap (ProseMirror) with the formatting a mail needs and no
 * more. Its schema already drops what it does not know; on top of that every paste and every
 * change goes through the shared allow-list sanitiser, so what is saved and sent never
 * carries scripts, styles or foreign attributes. This module is loaded lazily (see
 * ComposeSection): TipTap stays out of the JavaScript the app starts with.
 */

/**
 * Editor HTML → the HTML we store and send. Paragraphs become <div> lines and an empty one
 * becomes <div><br></div>, as mail composers write them: a recipient's client gives a <p> a
 * margin the editor does not show, and an empty block no height at all, so a blank line would
 * vanish from the message and from its plain-text alternative. A list item's text stands in the
 * <li> itself, so the plain-text alternative reads "• text" on one line. Blank lines at the very end
 * (TipTap keeps an empty paragraph after a closing list or quote) are not part of the message.
 */
function toMessageHtml(editorHtml: string): string {
  return sanitizeHtml(editorHtml)
    // A list item's first paragraph is its own text: <li>text</li> (paragraphs hold inline content only, so the first </p> closes it).
    .replace(/<li><p>([\s\S]*?)<\/p>/g, '<li>$1')
    .replace(/<p>/g, '<div>').replace(/<\/p>/g, '</div>')
    .replace(/<div><\/div>/g, '<div><br></div>')
    .replace(/(?:<div><br><\/div>)+$/, '');
}

/** Stored/sent HTML → editor content: a blank line (<div><br></div>) is an empty paragraph, not a paragraph holding a line break (which would show two lines high). */
function toEditorHtml(messageHtml: string): string {
  return sanitizeHtml(messageHtml).replace(/<(div|p)><br><\/\1>/g, '<p></p>');
}

const isSafeLink = (url: string | undefined): boolean => url !== undefined && safeHref(url) !== undefined;

/** Ctrl/Cmd+Enter sends (the compose page listens for it); without this TipTap would first put a line break into the message. */
const SendShortcutPassThrough = Extension.create({
  name: 'sendShortcutPassThrough',
  priority: 1000,
  addKeyboardShortcuts() {
    return { 'Mod-Enter': () => true };
  },
});

const extensions = [
  StarterKit.configure({
    // A mail body: paragraphs, bold/italic/underline, lists, quotes, links and line breaks.
    heading: false, code: false, codeBlock: false, horizontalRule: false, strike: false,
    link: {
      openOnClick: false,
      autolink: true,
      linkOnPaste: true,
      defaultProtocol: 'https',
      // Link targets are what the sanitiser lets through: http, https, mailto.
      isAllowedUri: (url) => isSafeLink(url),
      HTMLAttributes: { target: null, rel: 'noopener noreferrer', class: null },
    },
  }),
  SendShortcutPassThrough,
];

type Tool = 'bold' | 'italic' | 'underline' | 'bulletList' | 'orderedList' | 'blockquote' | 'link';

interface ToolButton { tool: Tool; label: string; glyph?: string; icon?: IconName; shortcut?: string; keys?: string }

/**
 * Rich text with a small toolbar (bold, italic, underline, lists, quote, link). Emits the
 * sanitised HTML on every change; a new `html` from outside (a draft loaded, a signature
 * swapped) replaces the content without being echoed back.
 */
export function RichEditor({ html, onChange, labelledBy, id }: { html: string; onChange(html: string): void; labelledBy: string; id: string }) {
  const { t } = useI18n();
  const toasts = useToasts();
  // The HTML this editor last emitted or was given: an `html` prop equal to it is our own echo.
  const known = useRef(html);
  // Only the first value seeds the editor; later ones go through setContent below.
  const [initialContent] = useState(() => toEditorHtml(html));
  const editorProps = useMemo(() => ({
    attributes: {
      id, class: 'rich-editor__body body-editor', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelledBy,
    },
    transformPastedHTML: (pasted: string) => toEditorHtml(pasted),
  }), [id, labelledBy]);

  const editor = useEditor({
    extensions,
    content: initialContent,
    // Our CSP and stylesheet: the few rules ProseMirror needs are in styles.css.
    injectCSS: false,
    editorProps,
    onUpdate: ({ editor: changed }) => {
      const clean = toMessageHtml(changed.getHTML());
      if (clean === known.current) return;
      known.current = clean;
      onChange(clean);
    },
  });

  useEffect(() => {
    if (!editor || html === known.current) return;
    known.current = html;
    editor.commands.setContent(toEditorHtml(html), { emitUpdate: false });
  }, [editor, html]);

  const active = useEditorState({
    editor,
    selector: ({ editor: e }): Record<Tool, boolean> => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      underline: e?.isActive('underline') ?? false,
      bulletList: e?.isActive('bulletList') ?? false,
      orderedList: e?.isActive('orderedList') ?? false,
      blockquote: e?.isActive('blockquote') ?? false,
      link: e?.isActive('link') ?? false,
    }),
  });

  function editLink(ed: Editor) {
    const current = ed.getAttributes('link').href as string | undefined;
    const answer = window.prompt(t(current ? 'editor.linkPromptEdit' : 'editor.linkPrompt'), current ?? 'https://');
    if (answer === null) { ed.commands.focus(); return; }
    if (answer.trim() === '' && current) { ed.chain().focus().extendMarkRange('link').unsetLink().run(); return; }
    const href = safeHref(answer.trim());
    if (!href) {
      toasts.show({ tone: 'error', title: t('editor.linkRefused.title'), body: t('editor.linkRefused.body'), key: 'editor.linkRefused' });
      ed.commands.focus();
      return;
    }
    if (current) ed.chain().focus().extendMarkRange('link').setLink({ href }).run();
    else if (ed.state.selection.empty) {
      // Nothing selected: the address itself becomes the linked text (as browsers do).
      ed.chain().focus().insertContent({ type: 'text', text: href.replace(/^mailto:/i, ''), marks: [{ type: 'link', attrs: { href } }] }).run();
    } else ed.chain().focus().setLink({ href }).run();
  }

  function run(tool: Tool) {
    if (!editor) return;
    const chain = editor.chain().focus();
    switch (tool) {
      case 'bold': chain.toggleBold().run(); break;
      case 'italic': chain.toggleItalic().run(); break;
      case 'underline': chain.toggleUnderline().run(); break;
      case 'bulletList': chain.toggleBulletList().run(); break;
      case 'orderedList': chain.toggleOrderedList().run(); break;
      case 'blockquote': chain.toggleBlockquote().run(); break;
      case 'link': editLink(editor); break;
    }
  }

  const buttons: ToolButton[] = [
    { tool: 'bold', label: t('editor.bold'), glyph: 'B', shortcut: 'Ctrl+B', keys: 'Control+B Meta+B' },
    { tool: 'italic', label: t('editor.italic'), glyph: 'I', shortcut: 'Ctrl+I', keys: 'Control+I Meta+I' },
    { tool: 'underline', label: t('editor.underline'), glyph: 'U', shortcut: 'Ctrl+U', keys: 'Control+U Meta+U' },
    { tool: 'bulletList', label: t('editor.bullets'), icon: 'bullets', shortcut: 'Ctrl+Shift+8', keys: 'Control+Shift+8 Meta+Shift+8' },
    { tool: 'orderedList', label: t('editor.numbers'), icon: 'numbers', shortcut: 'Ctrl+Shift+7', keys: 'Control+Shift+7 Meta+Shift+7' },
    { tool: 'blockquote', label: t('editor.quote'), icon: 'quote', shortcut: 'Ctrl+Shift+B', keys: 'Control+Shift+B Meta+Shift+B' },
    { tool: 'link', label: t('editor.link'), icon: 'link' },
  ];
  return (
    <div className="rich-editor">
      <div className="rich-editor__toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {buttons.map((b) => (
          <button key={b.tool} type="button" className={`tool tool--${b.tool}`} aria-label={b.label} aria-pressed={active?.[b.tool] ?? false}
            aria-keyshortcuts={b.keys} title={b.shortcut ? `${b.label} (${b.shortcut})` : b.label}
            // The editor keeps the focus (and its selection) while a button is clicked.
            onMouseDown={(e) => e.preventDefault()} onClick={() => run(b.tool)}>
            {b.icon ? <Icon name={b.icon} size={16} /> : <span aria-hidden="true">{b.glyph}</span>}
          </button>
        ))}
      </div>
      <EditorContent editor={editor} className="rich-editor__content" />
    </div>
  );
}
