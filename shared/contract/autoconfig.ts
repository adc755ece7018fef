/**
 * Setting up by address over IPC: discovery (address → ranked SMTP candidates with their
 * source, trust and warnings, plus what was tried) and the list of known providers.
 */
import { z } from 'zod';
import { method } from './define.js';
import { DiscoveryResultSchema, ProviderSummarySchema } from '../provider.js';

export const autoconfigMethods = {
  'autoconfig.discover': method(
    'Find SMTP settings for an e-mail address: presets, provider autoconfig, ISP database, DNS SRV, MX and probing, under one deadline.',
    z.tuple([z.string().max(400)]),
    DiscoveryResultSchema,
  ),
  'autoconfig.presets': method(
    'The providers Postbote knows, with their requirements (app password, SMTP to switch on, OAuth…) and help links.',
    z.tuple([]),
    z.array(ProviderSummarySchema),
  ),
};
