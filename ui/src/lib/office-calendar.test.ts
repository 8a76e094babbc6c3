import { describe, expect, it } from 'vitest';
import { daysOfYear, displayDate, officeDayProblem, weekdayOf } from './office-calendar';

describe('office calendar form', () => {
  it('knows the weekday of a real date and refuses impossible ones', () => {
    expect(weekdayOf('2026-11-27')).toBe(5); // a Friday
    expect(weekdayOf('2026-12-12')).toBe(6); // a Saturday
    expect(weekdayOf('2026-02-30')).toBeNull();
    expect(weekdayOf('27/11/2026')).toBeNull();
    expect(weekdayOf('')).toBeNull();
  });

  it('lets a named weekday off and a worked weekend day through', () => {
    expect(officeDayProblem({ kind: 'day_off', date: '2026-12-09', label: 'Nghỉ lễ địa phương' })).toBeNull();
    expect(officeDayProblem({ kind: 'working_day', date: '2026-12-12', label: '' })).toBeNull();
  });

  it('names what is wrong', () => {
    expect(officeDayProblem({ kind: 'day_off', date: '2026-12-12', label: 'x' })).toBe('calendar.problem.dayOffOnWeekend');
    expect(officeDayProblem({ kind: 'day_off', date: '2026-12-09', label: '  ' })).toBe('calendar.problem.name');
    expect(officeDayProblem({ kind: 'working_day', date: '2026-12-09', label: 'x' })).toBe('calendar.problem.workingDayOnWeekday');
    expect(officeDayProblem({ kind: 'day_off', date: '2026-13-01', label: 'x' })).toBe('calendar.problem.date');
  });

  it('shows dates the Vietnamese way with their weekday', () => {
    expect(displayDate('2026-12-09')).toEqual({ text: '09/12/2026', weekday: 'calendar.weekday.3' });
    expect(displayDate('bad')).toEqual({ text: 'bad', weekday: null });
  });

  it('lists one year, by date', () => {
    const days = [
      { kind: 'working_day' as const, date: '2026-12-12', label: 'b' },
      { kind: 'day_off' as const, date: '2027-01-04', label: 'c' },
      { kind: 'day_off' as const, date: '2026-03-02', label: 'a' },
    ];
    expect(daysOfYear(days, 2026).map((d) => d.label)).toEqual(['a', 'b']);
  });
});
