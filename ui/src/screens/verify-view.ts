/**
 * Pure helpers of the Xác minh screen: the colour class of a verdict, the run summary, the default report
 * file name. Kept out of the component so they are unit-tested.
 */
import type { Verdict, VerifiedFile } from '../lib/backend/supervisor';

export type Tone = 'green' | 'amber' | 'red';

/** Green only for VALID; amber for valid-with-warnings and indeterminate; red for invalid or unreadable. */
export function verdictTone(verdict: Verdict | null): Tone {
  switch (verdict) {
    case 'VALID':
      return 'green';
    case 'VALID_WITH_WARNINGS':
    case 'INDETERMINATE':
      return 'amber';
    default:
      return 'red';
  }
}

/** Counts per verdict of the files verified so far (unreadable files count as invalid). */
export function summarize(files: readonly VerifiedFile[]): { valid: number; warn: number; indet: number; invalid: number } {
  const counts = { valid: 0, warn: 0, indet: 0, invalid: 0 };
  for (const file of files) {
    if (file.verdict === 'VALID') counts.valid += 1;
    else if (file.verdict === 'VALID_WITH_WARNINGS') counts.warn += 1;
    else if (file.verdict === 'INDETERMINATE') counts.indet += 1;
    else counts.invalid += 1;
  }
  return counts;
}

/** `<folder of the first file>/bao-cao-xac-minh-YYYYMMDD-HHMM.html`, in the local time of `now`. */
export function defaultReportPath(firstFile: string | undefined, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  const name = `bao-cao-xac-minh-${stamp}.html`;
  if (!firstFile) return name;
  const cut = Math.max(firstFile.lastIndexOf('/'), firstFile.lastIndexOf('\\'));
  return cut >= 0 ? `${firstFile.slice(0, cut + 1)}${name}` : name;
}
