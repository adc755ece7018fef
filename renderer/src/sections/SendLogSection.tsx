import { useI18n } from '../i18n.js';
import type { SectionProps } from './index.js';

export function SendLogSection(_props: SectionProps) {
  const { t } = useI18n();
  return (
    <div className="page">
      <header className="page__header">
        <h1>{t('section.log.title')}</h1>
      </header>
    </div>
  );
}
