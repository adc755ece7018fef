import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureSendLatency } from './testing/latency.js';

test('Send-to-sent latency: the warm session saves the connect, TLS and AUTH round trips', async () => {
  const f = await measureSendLatency({ runs: 3, rttMs: 40 });
  console.log(`outbox latency (RTT ${f.rttMs} ms): cold median ${f.coldMedianMs} ms ${JSON.stringify(f.coldMs)} (${f.coldRoundTrips} round trips), warm median ${f.warmMedianMs} ms ${JSON.stringify(f.warmMs)} (${f.warmRoundTrips} round trips)`);
  assert.ok(f.warmRoundTrips < f.coldRoundTrips);
  assert.ok(f.warmMedianMs < f.coldMedianMs, 'warm is faster');
});
