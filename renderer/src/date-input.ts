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
