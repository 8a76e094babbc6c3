/** Verdict colours, the run summary and the default report path of the Xác minh screen. */
import { describe, expect, it } from 'vitest';
import type { VerifiedFile } from '../lib/backend/supervisor';
import { defaultReportPath, summarize, verdictTone } from './verify-view';

const file = (verdict: VerifiedFile['verdict']): VerifiedFile => ({ index: 0, path: 'a.pdf', verdict, size: 1, sha256: '', signatures: [], errors: [] });

describe('verify view', () => {
  it('colours VALID green, warnings and indeterminate amber, invalid and unreadable red', () => {
    expect(verdictTone('VALID')).toBe('green');
    expect(verdictTone('VALID_WITH_WARNINGS')).toBe('amber');
    expect(verdictTone('INDETERMINATE')).toBe('amber');
    expect(verdictTone('INVALID')).toBe('red');
    expect(verdictTone(null)).toBe('red');
  });

  it('counts verdicts, unreadable files as invalid', () => {
    expect(summarize([file('VALID'), file('INVALID'), file(null), file('VALID_WITH_WARNINGS'), file('INDETERMINATE')])).toEqual({
      valid: 1,
      warn: 1,
      indet: 1,
      invalid: 2,
    });
  });

  it('proposes a dated report beside the first file', () => {
    const now = new Date(2026, 10, 27, 9, 5);
    expect(defaultReportPath('/home/lan/ho-so/a.pdf', now)).toBe('/home/lan/ho-so/bao-cao-xac-minh-20261127-0905.html');
    expect(defaultReportPath('C:\\ho-so\\a.pdf', now)).toBe('C:\\ho-so\\bao-cao-xac-minh-20261127-0905.html');
    expect(defaultReportPath(undefined, now)).toBe('bao-cao-xac-minh-20261127-0905.html');
  });
});
