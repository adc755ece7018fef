import type { ReactNode } from 'react';
import { ExplanationSchema, renderExplanation } from '../../../shared/explanation.js';
import type { AppError } from '../../../shared/errors.js';
import { useI18n } from '../i18n.js';
import { Icon } from './Icon.js';

/** A web address in running text; trailing sentence punctuation is not part of it. */
const webAddress = /https?:\/\/[^\s<>"'„“”«»]+/g;
const trailingPunctuation = /[.,;:!?)\]]+$/;

/**
 * Text with its web addresses as links (a provider's help page in "what to do"). They open in
 * the system browser: the Electron shell hands every http(s) target="_blank" link to it.
 */
export function LinkedText({ text }: { text: string }) {
  const { t } = useI18n();
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(webAddress)) {
    const start = match.index;
    const url = match[0].replace(trailingPunctuation, '');
    if (url.length <= 'https://'.length) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={url} target="_blank" rel="noreferrer" className="explanation__link">
        {url}<span className="visually-hidden"> {t('explanation.opensInBrowser')}</span>
      </a>,
    );
    last = start + url.length;
  }
  if (parts.length === 0) return <>{text}</>;
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}

/**
 * The readable explanation of a failure: title, what happened, why, what to do. With
 * `technical`, the reply code and server text follow in a closed details section (for
 * connection tests, where no send-log entry keeps them).
 */
export function ExplanationView({ explanation, error, compact, technical }: { explanation: unknown; error?: AppError | null; compact?: boolean; technical?: boolean }) {
  const { t, lang } = useI18n();
  const parsed = ExplanationSchema.safeParse(explanation);
  if (!parsed.success) {
    if (!error) return null;
    return (
      <div className="explanation explanation--error" role="group" aria-label={t('explanation.label')}>
        <h3 className="explanation__title"><Icon name="error" /> {t(error.messageKey, error.params)}</h3>
        {error.detail?.serverText ? <p className="explanation__tech"><code>{error.detail.serverText}</code></p> : null}
      </div>
    );
  }
  const words = renderExplanation(parsed.data, lang);
  const tone = parsed.data.autoRetry || parsed.data.retryable || parsed.data.kind === 'recipient.partialSuccess' ? 'warning' : 'error';
  return (
    <div className={`explanation explanation--${tone}`} role="group" aria-label={t('explanation.label')}>
      <h3 className="explanation__title"><Icon name={tone === 'warning' ? 'warning' : 'error'} /> {words.title}</h3>
      <p><LinkedText text={words.happened} /></p>
      {compact ? null : <p className="explanation__cause"><LinkedText text={words.cause} /></p>}
      <h4>{t('explanation.whatToDo')}</h4>
      <ul className="explanation__actions">{words.actions.map((a) => <li key={a}><LinkedText text={a} /></li>)}</ul>
      {parsed.data.provider ? <p className="explanation__provider">{t('explanation.provider', { name: parsed.data.provider.name })}</p> : null}
      {technical && words.technical.length > 0 ? (
        <details className="explanation__details">
          <summary>{t('explanation.technical')}</summary>
          <ul className="explanation__technical mono">{words.technical.map((line) => <li key={line}>{line}</li>)}</ul>
        </details>
      ) : null}
    </div>
  );
}

export function explanationTitle(explanation: unknown, lang: 'de' | 'en'): string | undefined {
  const parsed = ExplanationSchema.safeParse(explanation);
  return parsed.success ? renderExplanation(parsed.data, lang).title : undefined;
}
