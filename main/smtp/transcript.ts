/** The session's transcript: redacted at the point of writing, bounded in memory. */
import type { DeliveryPhase } from '../../shared/errors.js';
import type { TranscriptDirection, TranscriptEntry } from './types.js';
import { printable } from './reply-parser.js';

const MAX_ENTRIES = 2000;

export class Transcript {
  readonly start = performance.now();
  readonly entries: TranscriptEntry[] = [];
  private dropped = 0;
  private readonly listener: ((e: TranscriptEntry) => void) | undefined;

  constructor(listener?: (e: TranscriptEntry) => void) {
    this.listener = listener;
  }

  /** `line` must already be redacted by the caller: nothing secret is ever passed here. */
  add(dir: TranscriptDirection, phase: DeliveryPhase, line: string): void {
    const entry: TranscriptEntry = { t: Math.round((performance.now() - this.start) * 10) / 10, dir, phase, line: printable(line, 1000) };
    if (this.entries.length >= MAX_ENTRIES) {
      // Long-lived (warm) sessions keep the most recent entries.
      this.entries.splice(0, MAX_ENTRIES / 2);
      this.dropped += MAX_ENTRIES / 2;
    }
    this.entries.push(entry);
    try {
      this.listener?.(entry);
    } catch {
      // A listener's bug must not break a delivery.
    }
  }

  get droppedEntries(): number {
    return this.dropped;
  }
}
