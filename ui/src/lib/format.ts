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
