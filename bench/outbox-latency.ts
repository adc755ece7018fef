/**
 * Outbox Send-to-sent latency with and without the warm session (issue 8), against a real
 * SMTP server (STARTTLS + AUTH) behind a proxy adding a 40 ms round trip.
 *   node --import tsx bench/outbox-latency.ts
 * Prints the figures and writes JSON to bench/results/outbox-latency.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureSendLatency } from '../main/outbox/testing/latency.js';

const figures = await measureSendLatency({ runs: Number(process.env.RUNS ?? 7), rttMs: Number(process.env.RTT_MS ?? 40) });
console.log(JSON.stringify(figures, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/outbox-latency.json', `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`);
