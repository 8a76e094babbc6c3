/** Role filtering of the navigation: clerks never see the supervisor's screens, supervisors see all. */
import { describe, expect, it } from 'vitest';
import { landingScreen, mayOpen, screensFor } from './access';
import { SCREENS } from './registry';

describe('screensFor', () => {
  it('hides verify, reports and settings from a clerk and keeps the counter screens in order', () => {
    const ids = screensFor('clerk', SCREENS).map((screen) => screen.id);
    expect(ids).toContain('dossiers');
    for (const id of ['verify', 'reports', 'settings']) expect(ids).not.toContain(id);
    // The supervisor's screens come last, so a clerk's Alt+N shortcuts match the supervisor's.
    expect(ids).toEqual(SCREENS.map((screen) => screen.id).slice(0, ids.length));
  });

  it('shows every registered screen to a supervisor', () => {
    const ids = screensFor('supervisor', SCREENS).map((screen) => screen.id);
    expect(ids).toEqual(SCREENS.map((screen) => screen.id));
    for (const id of ['verify', 'reports', 'settings']) expect(ids).toContain(id);
  });

  it('shows nothing before anyone signs in', () => {
    expect(screensFor(null, SCREENS)).toEqual([]);
    expect(mayOpen(null, 'clerk')).toBe(false);
  });

  it('sends a clerk who was on a supervisor screen back to an allowed one', () => {
    expect(landingScreen('clerk', SCREENS, 'settings')).toBe('dossiers');
    expect(landingScreen('supervisor', SCREENS, 'settings')).toBe('settings');
    expect(landingScreen(null, SCREENS, 'dossiers')).toBeNull();
  });
});
