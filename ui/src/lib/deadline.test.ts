import { describe, expect, it } from 'vitest';
import type { DeadlineColour, Dossier } from './backend';
import { filterDossiers, remainingText, sortDossiers, statusesOf, type RemainingWords } from './deadline';

const vi: RemainingWords = {
  day: (n) => `${n} ngày`,
  hour: (n) => `${n} giờ`,
  minute: (n) => `${n} phút`,
  left: (t) => `còn ${t}`,
  late: (t) => `quá hạn ${t}`,
};

function dossier(code: string, status: string, colour: DeadlineColour | null, remaining = 0, stopped = false): Dossier {
  return {
    id: code,
    code,
    procedureCode: '1.004222',
    procedureName: 'Đăng ký thường trú',
    applicant: { fullName: 'A', citizenId: '001090012345', dateOfBirth: null, phone: '', address: '', email: '', kind: 'citizen' },
    channel: 'counter',
    resultReturn: 'counter',
    receivedAt: '2026-02-10T09:15:00',
    dueAt: '2026-02-26T09:15:00',
    status,
    nationalStatus: null,
    documents: [],
    fees: [],
    notes: '',
    deadline: colour
      ? { colour, remainingMinutes: remaining, dayMinutes: 480, effectiveDue: '2026-02-26T09:15:00', paused: false, stopped }
      : null,
  };
}

describe('remainingText', () => {
  it('says days and hours left, minutes only within the last day', () => {
    expect(remainingText(2 * 480 + 3 * 60 + 15, 480, vi)).toBe('còn 2 ngày 3 giờ');
    expect(remainingText(435, 480, vi)).toBe('còn 7 giờ 15 phút');
    expect(remainingText(45, 480, vi)).toBe('còn 45 phút');
    expect(remainingText(0, 480, vi)).toBe('còn 0 phút');
  });
  it('says how late an overdue dossier is', () => {
    expect(remainingText(-480, 480, vi)).toBe('quá hạn 1 ngày');
    expect(remainingText(-45, 480, vi)).toBe('quá hạn 45 phút');
    expect(remainingText(-(3 * 480 + 120), 480, vi)).toBe('quá hạn 3 ngày 2 giờ');
  });
});

describe('sortDossiers', () => {
  const list = [
    dossier('D', 'processing', 'green', 2000),
    dossier('A', 'draft', null),
    dossier('F', 'returned', 'red', -900, true),
    dossier('B', 'processing', 'red', -30),
    dossier('E', 'received', 'yellow', 400),
    dossier('C', 'received', 'orange', 75),
  ];
  it('keeps the core order for newest', () => {
    expect(sortDossiers(list, 'newest').map((d) => d.code)).toEqual(['D', 'A', 'F', 'B', 'E', 'C']);
  });
  it('puts the least time left first, finished ones and ones without a deadline last', () => {
    expect(sortDossiers(list, 'remaining').map((d) => d.code)).toEqual(['B', 'C', 'E', 'D', 'F', 'A']);
    expect(list[0].code).toBe('D');
  });
});

describe('filterDossiers', () => {
  const list = [dossier('A', 'processing', 'red', -5), dossier('B', 'received', 'red', -1), dossier('C', 'processing', 'green', 900)];
  it('filters by colour, by status, and by both', () => {
    expect(filterDossiers(list, { status: '', colour: 'red' }).map((d) => d.code)).toEqual(['A', 'B']);
    expect(filterDossiers(list, { status: 'processing', colour: '' }).map((d) => d.code)).toEqual(['A', 'C']);
    expect(filterDossiers(list, { status: 'processing', colour: 'red' }).map((d) => d.code)).toEqual(['A']);
    expect(filterDossiers(list, { status: '', colour: '' })).toHaveLength(3);
    expect(statusesOf(list)).toEqual(['processing', 'received']);
  });
});
