/**
 * Display formats for dates coming from the core. The core sends local Vietnam date-times without a zone
 * (`yyyy-mm-ddTHH:MM:SS`), so they are re-arranged as text rather than passed through `Date`, which would
 * shift them by the machine's time zone.
 */

/** `2026-11-27T08:05:00` → `27/11/2026 08:05`; anything unexpected is shown unchanged. */
export function formatDateTime(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(value);
  return match ? `${match[3]}/${match[2]}/${match[1]} ${match[4]}:${match[5]}` : value;
}

/** `2026-11-27…` → `27/11/2026`; anything unexpected is shown unchanged. */
export function formatDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : value;
}

/**
 * A UTC RFC 3339 instant (as the audit log stores it) shown in Vietnam time (UTC+7, no daylight saving),
 * `dd/mm/yyyy HH:MM:SS`, whatever the machine's time zone; anything unexpected is shown unchanged.
 */
export function formatUtcInVietnam(value: string): string {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) return value;
  const local = new Date(millis + 7 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}
