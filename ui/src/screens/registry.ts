/**
 * The app's screens, in the order of the navigation bar (the counter workflow first, then the
 * supervisor's). Each screen is a component loaded on first visit (dynamic import), so the window starts
 * with only the dossier list in memory; once visited, a screen stays mounted (hidden) so a half-filled form
 * keeps its content when the clerk switches away. Alt+1…9 open the screens in this order.
 *
 * To add a screen: create `ui/src/screens/<Name>Screen.svelte` taking `ScreenProps`, add its label keys to
 * both i18n tables, and add one entry here.
 */
import type { Component } from 'svelte';
import type { Backend } from '../lib/backend';
import type { MessageKey } from '../lib/i18n';

export type ScreenId = 'dossiers' | 'reception' | 'capture' | 'sign' | 'receipt' | 'queue' | 'verify' | 'reports' | 'settings';

/** Who may open a screen: everyone at the counter, or supervisors only. */
export type ScreenRole = 'clerk' | 'supervisor';

/** What every screen receives from the app shell. */
export interface ScreenProps {
  backend: Backend;
  /** Whether the screen is the one shown (hidden screens stay mounted and should stop polling). */
  active: boolean;
  /** Opens another screen, e.g. "capture" after a dossier is received. */
  navigate: (screen: ScreenId) => void;
}

export interface ScreenEntry {
  id: ScreenId;
  label: MessageKey;
  role: ScreenRole;
  load: () => Promise<{ default: Component<ScreenProps> }>;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'dossiers', label: 'nav.dossiers', role: 'clerk', load: () => import('./DossiersScreen.svelte') },
  { id: 'reception', label: 'nav.reception', role: 'clerk', load: () => import('./ReceptionScreen.svelte') },
  { id: 'capture', label: 'nav.capture', role: 'clerk', load: () => import('./CaptureScreen.svelte') },
  { id: 'sign', label: 'nav.sign', role: 'clerk', load: () => import('./SignScreen.svelte') },
  { id: 'receipt', label: 'nav.receipt', role: 'clerk', load: () => import('./ReceiptScreen.svelte') },
  { id: 'queue', label: 'nav.queue', role: 'clerk', load: () => import('./QueueScreen.svelte') },
  { id: 'verify', label: 'nav.verify', role: 'supervisor', load: () => import('./VerifyScreen.svelte') },
  { id: 'reports', label: 'nav.reports', role: 'supervisor', load: () => import('./ReportsScreen.svelte') },
  { id: 'settings', label: 'nav.settings', role: 'supervisor', load: () => import('./SettingsScreen.svelte') },
];

/** The screen for `id`, if it is registered. */
export function screenById(id: string): ScreenEntry | undefined {
  return SCREENS.find((screen) => screen.id === id);
}
