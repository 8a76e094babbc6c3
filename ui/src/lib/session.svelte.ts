/**
 * The work in progress shared between screens: the dossier the clerk is working on (received on the
 * reception screen, then captured, signed, printed and submitted). Remembered in localStorage so closing
 * and reopening the app comes back to the same dossier; the dossier itself lives in the database.
 */
const STORAGE_KEY = 'motcua.currentDossier';

function remembered(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

class Session {
  /** The code of the dossier in progress, or null. */
  dossierCode = $state<string | null>(remembered());

  /** Bumped whenever dossiers change, so screens that show them reload (e.g. after a new dossier). */
  revision = $state(0);

  /** Tells the screens that dossiers changed. */
  changed(): void {
    this.revision += 1;
  }

  /** Makes `code` the dossier in progress (null clears it). */
  select(code: string | null): void {
    this.dossierCode = code;
    try {
      if (code) globalThis.localStorage?.setItem(STORAGE_KEY, code);
      else globalThis.localStorage?.removeItem(STORAGE_KEY);
    } catch {
      // Storage can be unavailable (private mode, full disk): the session then lasts until the app closes.
    }
  }
}

export const session = new Session();
