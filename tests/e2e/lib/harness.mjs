/**
 * What every WebDriver test file shares: the environment `scripts/e2e.sh` passes, the webdriverio session
 * on the real app (through tauri-driver), screenshots, and the step runner. Steps run in order; after the
 * first failure the rest are skipped (they build on each other) and a screenshot of the failure is kept.
 * Each file prints "N passed, N failed" last and exits non-zero on any failure.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// webdriverio is a dev dependency of ui/, so one `npm ci` there serves both the UI and these tests.
const requireFromUi = createRequire(new URL('../../../ui/package.json', import.meta.url));
export const { remote, Key } = requireFromUi('webdriverio');

/** The value of an environment variable `scripts/e2e.sh` sets; exits with a clear message when missing. */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name} (run through scripts/e2e.sh)`);
    process.exit(2);
  }
  return value;
}

/** The CSS selector of an element by its `data-testid`. */
export const byTestId = (id) => `[data-testid="${id}"]`;

/**
 * Starts the app (APP_BINARY, with command-line `args`) in a new WebDriver session on tauri-driver
 * (WEBDRIVER_PORT).
 */
export function openSession(args = []) {
  return remote({
    hostname: '127.0.0.1',
    port: Number(process.env.WEBDRIVER_PORT ?? '4444'),
    logLevel: 'warn',
    // Starting the app and WebKit on a loaded 2-core machine can take well over the default.
    connectionRetryTimeout: 120000,
    capabilities: {
      'tauri:options': { application: requiredEnv('APP_BINARY'), args },
      'wdio:enforceWebDriverClassic': true,
    },
  });
}

/**
 * Closes `browser`'s app and starts it again (with `args`) in a new session. A new app start on the loaded
 * 2-core machine can outlast one session request: it tries up to 3 times.
 */
export async function restartSession(browser, args = []) {
  await browser.deleteSession();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openSession(args);
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`  note: new session attempt ${attempt} failed (${error.message}); retrying`);
    }
  }
}

/** Waits for two animation frames so the screenshot shows the latest DOM, then saves `<name>.png`. */
export async function screenshot(browser, name) {
  const dir = requiredEnv('SCREENSHOT_DIR');
  mkdirSync(dir, { recursive: true });
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.saveScreenshot(path.join(dir, `${name}.png`));
}

/**
 * Runs `steps` ([name, async fn] pairs) in order and returns the exit code. `browser()` gives the current
 * session (a step may restart the app); `name` prefixes the failure screenshot; `cleanup` runs last,
 * after the session is closed, whatever happened.
 */
export async function runSteps({ steps, browser, name, cleanup = async () => {} }) {
  let passed = 0;
  let failed = 0;
  try {
    for (const [index, [title, run]] of steps.entries()) {
      if (failed > 0) {
        console.log(`skip ${title}`);
        failed += 1;
        continue;
      }
      try {
        await run();
        passed += 1;
        console.log(`ok   ${title}`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${title}\n     ${String(error?.stack ?? error).split('\n').join('\n     ')}`);
        await screenshot(browser(), `${name}-failure-step-${index + 1}`).catch(() => {});
      }
    }
  } finally {
    await browser()
      .deleteSession()
      .catch(() => {});
    await cleanup();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Exits with the code `main` resolves to; an error before the steps counts as one failure. */
export function exitWith(main) {
  main.then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}

/**
 * Drops files on the window as the file manager would: the webview's own `tauri://drag-drop` event, emitted
 * from the page (WebDriver cannot drag files from outside the window). Call it once the screen listens
 * (each screen that takes drops marks that), or the drop reaches nobody.
 */
export async function dropFiles(browser, paths) {
  const failure = await browser.executeAsync((dropped, done) => {
    window.__TAURI_INTERNALS__
      .invoke('plugin:event|emit', { event: 'tauri://drag-drop', payload: { paths: dropped, position: { x: 400, y: 300 } } })
      .then(
        () => done(null),
        (error) => done(String(error)),
      );
  }, paths);
  assert.equal(failure, null, 'the drop event was emitted');
}
