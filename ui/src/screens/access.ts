/**
 * Which screens an account sees: clerks the counter screens, supervisors everything. The same rule the
 * shell enforces on the supervisor commands (`motcua::user::Role::may`); hiding them here only keeps the
 * navigation honest, the refusal is in the shell. Pure functions, unit-tested in `access.test.ts`.
 */
import type { Role } from '../lib/backend/supervisor';
import type { ScreenEntry, ScreenId } from './registry';

/** Whether `role` may open a screen registered with `screenRole`. */
export function mayOpen(role: Role | null, screenRole: ScreenEntry['role']): boolean {
  if (role === null) return false;
  return screenRole === 'clerk' || role === 'supervisor';
}

/** The screens of `screens` that `role` may open, in navigation order (nobody signed in: none). */
export function screensFor(role: Role | null, screens: readonly ScreenEntry[]): ScreenEntry[] {
  return screens.filter((screen) => mayOpen(role, screen.role));
}

/** The screen to show after a sign-in: `wanted` if allowed, else the first allowed screen. */
export function landingScreen(role: Role | null, screens: readonly ScreenEntry[], wanted: ScreenId): ScreenId | null {
  const allowed = screensFor(role, screens);
  return allowed.find((screen) => screen.id === wanted)?.id ?? allowed[0]?.id ?? null;
}
