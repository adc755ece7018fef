/**
 * Dates as people type them, in their language's order: day, month, year for German
 * ("24.12.2025") and British English ("24/12/2025"). The value kept in state is ISO
 * ("2025-12-24"), a calendar day without a time zone; the list filter turns it into local
 * midnight. `<input type=date>` would follow the browser's locale instead of the app's.
 */
import type { Lang } from '../../shared/domain.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const dateSeparator = (lang: Lang): string => (lang === 'de' ? '.' : '/');

/** "2025-12-24" → "24.12.2025" (de) or "24/12/2025" (en); '' stays ''. */
export function formatIsoDate(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const sep = dateSeparator(lang);
  return `${m[3]}${sep}${m[2]}${sep}${m[1]}`;
}

const isoOf = (y: number, m: number, d: number): string | null => {
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d > days ? null : `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
};

/**
 * What was typed → ISO day, or null when it is not a whole, existing date. Accepts the
 * language's order with ".", "/" or "-" between the parts, a two-digit year (20xx), and
 * ISO itself (pasted from elsewhere).
 */
export function parseTypedDate(text: string, _lang: Lang): string | null {
  const s = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{2}|\d{4})$/.exec(s);
  if (!dmy) return null;
  const year = dmy[3]?.length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3]);
  return isoOf(year, Number(dmy[2]), Number(dmy[1]));
}

/** The ISO day `days` days (or `months` months) later; the day is clamped to the month's length. */
export function shiftIsoDate(iso: string, by: { days?: number; months?: number }): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  let y = Number(m[1]);
  let mo = Number(m[2]) - 1 + (by.months ?? 0);
  y += Math.floor(mo / 12);
  mo = ((mo % 12) + 12) % 12;
  const d = Math.min(Number(m[3]), new Date(Date.UTC(y, mo + 1, 0)).getUTCDate());
  const date = new Date(Date.UTC(y, mo, d + (by.days ?? 0)));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Today as an ISO day, in local time. */
export function todayIso(now = new Date()): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ---------------------------------------------------------------------------------------
// Times of day, as people type them

/** How the person reads the clock: German always 24 hours; English as the system's locale does. */
export type Clock = '24h' | '12h';

/**
 * The clock for the app's language: German is 24 hours; English follows the system's English
 * locale (en-US reads "2:30 pm", en-GB "14:30"). A non-English system locale with the English
 * UI gets the 24-hour clock the app's English dates (en-GB) already use.
 */
export function clockFor(lang: Lang, systemLocale: string): Clock {
  if (lang === 'de' || !/^en\b/i.test(systemLocale)) return '24h';
  try {
    return new Intl.DateTimeFormat(systemLocale, { hour: 'numeric' }).resolvedOptions().hour12 ? '12h' : '24h';
  } catch {
    return '24h';
  }
}

/** "14:05" → "14:05" (24 h) or "2:05 pm" (12 h); '' stays ''. */
export function formatTime(hhmm: string, clock: Clock): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return '';
  if (clock === '24h') return hhmm;
  const hour = Number(m[1]);
  return `${hour % 12 === 0 ? 12 : hour % 12}:${m[2]} ${hour < 12 ? 'am' : 'pm'}`;
}

/**
 * What was typed → "HH:MM" (24 h), or null when it is not a time of day. Accepts "14:30",
 * "14.30", "9", "1430", a trailing "Uhr"/"h", and am/pm in any of the usual spellings
 * ("2:30 pm", "2pm", "12 a.m."), whichever clock the field shows.
 */
export function parseTypedTime(text: string): string | null {
  const s = text.trim().toLowerCase().replace(/\s*(?:uhr|h)$/, '');
  const m = /^(\d{1,2})(?:\s*[:.]\s*(\d{2})|(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$/.exec(s);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? m[3] ?? 0);
  const half = m[4]?.[0];
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${pad(hour)}:${pad(minute)}`;
}

/** "HH:MM" moved by some minutes, round the clock (23:50 + 15 → 00:05). */
export function shiftTime(hhmm: string, minutes: number): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return hhmm;
  const total = (((Number(m[1]) * 60 + Number(m[2]) + minutes) % 1440) + 1440) % 1440;
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** An ISO day and an "HH:MM" time as the local moment (ms); null when either is missing. */
export function localMoment(isoDay: string, hhmm: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  const t = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!d || !t) return null;
  return new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])).getTime();
}

// ---------------------------------------------------------------------------------------
// The send-later picker's quick choices

export type SendLaterChoice = 'inHour' | 'tomorrow' | 'monday';

/** Mornings start at eight: early enough to be read first thing, late enough not to look sent at night. */
const MORNING_HOUR = 8;

/**
 * The quick choices of the send-later picker, each a distinct moment after `now`: in one hour,
 * tomorrow at eight, and next Monday at eight. On a Sunday "tomorrow morning" already is Monday
 * morning, so that choice is offered once (as "tomorrow"), never twice with the same time.
 */
export function sendLaterOptions(now: Date): Array<{ id: SendLaterChoice; at: number }> {
  const inHour = new Date(now.getTime() + 60 * 60 * 1000);
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, MORNING_HOUR);
  const daysToMonday = (8 - now.getDay()) % 7 || 7;
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday, MORNING_HOUR);
  const candidates: Array<{ id: SendLaterChoice; at: number }> = [
    { id: 'inHour', at: inHour.getTime() }, { id: 'tomorrow', at: tomorrow.getTime() }, { id: 'monday', at: monday.getTime() },
  ];
  const seen = new Set<number>();
  return candidates.filter((c) => {
    if (c.at <= now.getTime() || seen.has(c.at)) return false;
    seen.add(c.at);
    return true;
  });
}
