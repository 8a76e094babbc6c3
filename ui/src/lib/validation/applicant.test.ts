/** Tests for the new-dossier form rules; the cases mirror the core's `dossier` tests so both sides agree. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PROVINCE_CODES,
  isoDate,
  todayInVietnam,
  parseDayMonthYear,
  validateCitizenId,
  validateDateOfBirth,
  validateEmail,
  validateNewDossier,
  validatePhone,
  validateRequired,
  type NewDossierInput,
} from './applicant';

const today = { year: 2026, month: 11, day: 27 };

function validInput(): NewDossierInput {
  return {
    procedureCode: '1.001193',
    fullName: 'Nguyễn Thị Hồng',
    citizenId: '001190012345',
    dateOfBirth: '02/03/1990',
    phone: '+84 912 345 678',
    address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
    email: 'hong@example.vn',
  };
}

describe('validateCitizenId', () => {
  it('accepts 12 digits with a known province, ignoring surrounding spaces', () => {
    expect(validateCitizenId('001190012345')).toBeNull();
    expect(validateCitizenId('  079203001234 ')).toBeNull();
  });

  it('asks for a value when empty', () => {
    expect(validateCitizenId('   ')).toBe('validation.required');
  });

  it('refuses wrong lengths, letters and inner spaces', () => {
    expect(validateCitizenId('00119001234')).toBe('validation.citizenIdLength');
    expect(validateCitizenId('0011900123456')).toBe('validation.citizenIdLength');
    expect(validateCitizenId('00119001234a')).toBe('validation.citizenIdLength');
    expect(validateCitizenId('001190 012345')).toBe('validation.citizenIdLength');
  });

  it('refuses an unknown province prefix', () => {
    expect(validateCitizenId('003190012345')).toBe('validation.citizenIdProvince');
    expect(validateCitizenId('097190012345')).toBe('validation.citizenIdProvince');
  });

  it('checks the century digit and year digits against the date of birth', () => {
    expect(validateCitizenId('001190012345', { year: 1990, month: 3, day: 2 })).toBeNull();
    expect(validateCitizenId('001190012345', { year: 1991, month: 3, day: 2 })).toBe('validation.citizenIdBirthYear');
    expect(validateCitizenId('001305012345', { year: 2005, month: 1, day: 1 })).toBeNull();
    expect(validateCitizenId('001105012345', { year: 2005, month: 1, day: 1 })).toBe('validation.citizenIdBirthYear');
  });
});

describe('validatePhone', () => {
  it('accepts an empty phone (optional) and 10 digits starting with 0', () => {
    expect(validatePhone('')).toBeNull();
    expect(validatePhone('0912345678')).toBeNull();
    expect(validatePhone('0912.345.678')).toBeNull();
    expect(validatePhone('091-234-5678')).toBeNull();
  });

  it('accepts +84 followed by nine digits', () => {
    expect(validatePhone('+84 912 345 678')).toBeNull();
  });

  it('refuses short, long, letter-bearing and non-zero-leading numbers', () => {
    expect(validatePhone('12345')).toBe('validation.phone');
    expect(validatePhone('09123456789')).toBe('validation.phone');
    expect(validatePhone('091234567a')).toBe('validation.phone');
    expect(validatePhone('1912345678')).toBe('validation.phone');
    expect(validatePhone('+84 0912 345 678')).toBe('validation.phone');
  });
});

describe('validateEmail', () => {
  it('accepts an empty address (optional) and a plain address', () => {
    expect(validateEmail('')).toBeNull();
    expect(validateEmail(' hong@example.vn ')).toBeNull();
  });

  it('refuses addresses without a dotted domain, with two @ or with spaces', () => {
    expect(validateEmail('a@b')).toBe('validation.email');
    expect(validateEmail('@example.vn')).toBe('validation.email');
    expect(validateEmail('hong@.vn')).toBe('validation.email');
    expect(validateEmail('hong@example.')).toBe('validation.email');
    expect(validateEmail('hong@ex@ample.vn')).toBe('validation.email');
    expect(validateEmail('hong nguyen@example.vn')).toBe('validation.email');
    expect(validateEmail('hong.example.vn')).toBe('validation.email');
  });
});

describe('required fields and dates', () => {
  it('treats whitespace as empty', () => {
    expect(validateRequired('  ')).toBe('validation.required');
    expect(validateRequired('Lê Văn A')).toBeNull();
  });

  it('parses dd/mm/yyyy and rejects impossible dates', () => {
    expect(parseDayMonthYear('2/3/1990')).toEqual({ year: 1990, month: 3, day: 2 });
    expect(parseDayMonthYear('29/02/2024')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseDayMonthYear('29/02/2023')).toBeNull();
    expect(parseDayMonthYear('31/04/2020')).toBeNull();
    expect(parseDayMonthYear('1990-03-02')).toBeNull();
    expect(isoDate({ year: 1990, month: 3, day: 2 })).toBe('1990-03-02');
  });

  it('refuses a date of birth after today but accepts today', () => {
    expect(validateDateOfBirth('28/11/2026', today)).toBe('validation.birthInFuture');
    expect(validateDateOfBirth('27/11/2026', today)).toBeNull();
    expect(validateDateOfBirth('', today)).toBeNull();
    expect(validateDateOfBirth('32/01/2000', today)).toBe('validation.date');
  });
});

describe('validateNewDossier', () => {
  it('passes a complete, valid form', () => {
    expect(validateNewDossier(validInput(), today)).toEqual({});
  });

  it('reports every failing field at once', () => {
    const input = { ...validInput(), procedureCode: ' ', fullName: '', citizenId: '123', phone: '12', email: 'x@y' };
    expect(validateNewDossier(input, today)).toEqual({
      procedureCode: 'validation.procedureRequired',
      fullName: 'validation.required',
      citizenId: 'validation.citizenIdLength',
      phone: 'validation.phone',
      email: 'validation.email',
    });
  });

  it('checks the citizen ID against the typed year of birth', () => {
    expect(validateNewDossier({ ...validInput(), dateOfBirth: '02/03/1991' }, today)).toEqual({
      citizenId: 'validation.citizenIdBirthYear',
    });
  });
});

describe('rules shared with the core', () => {
  it('use the same province codes as src/dossier/citizen_id.rs', () => {
    const rust = readFileSync(new URL('../../../../src/dossier/citizen_id.rs', import.meta.url), 'utf8');
    const table = /const PROVINCE_CODES: \[u16; \d+\] = \[([^\]]*)\]/.exec(rust);
    expect(table, 'PROVINCE_CODES table in citizen_id.rs').not.toBeNull();
    const core = (table?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean).map(Number);
    expect([...PROVINCE_CODES].sort((a, b) => a - b)).toEqual(core.sort((a, b) => a - b));
  });
});

describe('todayInVietnam', () => {
  it('is the date at UTC+7 whatever the PC time zone', () => {
    // 18:30 UTC on 27 November is 01:30 on 28 November in Vietnam.
    expect(todayInVietnam(new Date('2026-11-27T18:30:00Z'))).toEqual({ year: 2026, month: 11, day: 28 });
    expect(todayInVietnam(new Date('2026-11-27T16:59:59Z'))).toEqual({ year: 2026, month: 11, day: 27 });
    expect(todayInVietnam(new Date('2026-12-31T17:00:00Z'))).toEqual({ year: 2027, month: 1, day: 1 });
  });
});
