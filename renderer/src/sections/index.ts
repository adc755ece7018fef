/** Which view shows which section of the app. */
import type { ComponentType } from 'react';
import type { Section } from '../../../shared/contract/app.js';
import { AccountsSection } from './AccountsSection.js';
import { ComposeSection } from './ComposeSection.js';
import { OutboxSection } from './OutboxSection.js';
import { SendLogSection } from './SendLogSection.js';
import { SettingsSection } from './SettingsSection.js';

export interface SectionProps {
  onNavigate(section: Section): void;
}

export const sectionViews: Record<Section, ComponentType<SectionProps>> = {
  compose: ComposeSection,
  outbox: OutboxSection,
  log: SendLogSection,
  accounts: AccountsSection,
  settings: SettingsSection,
};
