/**
 * Time zones of Feast's ZonedTimestamp: an IANA name (`Europe/Paris`), a fixed
 * offset (`+05:45`, `-0700`), or `""`/`UTC` for UTC, as Feast's type_map
 * accepts them. Formatting follows Python's `datetime.isoformat()` in that zone.
 */

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is a zone Feast's ZonedTimestamp can carry. */
export function isValidZone(zone: string): boolean {
  if (zone === '' || FIXED_OFFSET.test(zone)) return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The UTC offset of `zone` at `ms`, in seconds east of UTC (0 for an unknown zone). */
export function zoneOffsetSeconds(zone: string, ms: number): number {
  if (zone === '' || zone === 'UTC' || zone === 'Z') return 0;
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60);
  let f: Intl.DateTimeFormat;
  try {
    f = formatterFor(zone);
  } catch {
    return 0;
  }
  const part = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(part);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * `2026-06-09T09:00:00-07:00`: the instant `seconds` shown in `zone`, as
 * Python's `datetime.fromtimestamp(seconds, tz).isoformat()` writes it
 * (`+00:00` for UTC, seconds in the offset only when it has them).
 */
export function formatZoned(seconds: number, zone: string): string {
  const offset = zoneOffsetSeconds(zone, seconds * 1000);
  const local = new Date((seconds + offset) * 1000);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  const offSec = abs % 60;
  const off = `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}${offSec ? `:${pad(offSec)}` : ''}`;
  const y = local.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : String(y);
  return `${year}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${off}`;
}

/**
 * RFC 3339 in UTC with a `Z`, as Feast's server writes event timestamps:
 * no fraction when the milliseconds are 0, else three digits.
 */
export function formatUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}
