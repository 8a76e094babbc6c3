/**
 * Sign-in helper shared by the WebDriver tests: the app now opens on a login gate. With no account in the
 * data folder it shows the first-run form, which creates the first supervisor; otherwise the sign-in form.
 * `signIn` handles both, creating the account through the `motcua` CLI first when needed, so each test
 * file works whatever ran before it on the same data folder.
 */
import { execFileSync } from 'node:child_process';

const byTestId = (id) => `[data-testid="${id}"]`;

/** Creates an account with the CLI (password through the environment); an existing login is fine. */
export function ensureAccount(motcuaBin, { login, password, role, name }) {
  try {
    execFileSync(motcuaBin, ['user', 'add', '--role', role, '--name', name, '--password-env', 'MOTCUA_E2E_PASSWORD', login], {
      env: { ...process.env, MOTCUA_E2E_PASSWORD: password },
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    if (!String(error.stderr ?? '').includes('login_taken')) throw error;
  }
}

/** Fills a field through the DOM (WebKitWebDriver may drop non-ASCII keys), firing `input`. */
export async function setField(browser, testId, text) {
  const field = await browser.$(byTestId(testId));
  await field.waitForDisplayed({ timeout: 15000 });
  await field.setValue(text);
  if ((await field.getValue()) === text) return;
  await browser.execute(
    (selector, value) => {
      const element = document.querySelector(selector);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setter?.call(element, value);
      element?.dispatchEvent(new Event('input', { bubbles: true }));
    },
    byTestId(testId),
    text,
  );
}

/**
 * Signs in as `account` ({login, password, role, name}); on a fresh data folder the first-run form
 * creates it (as a supervisor). Resolves once the main window with its navigation is shown.
 */
export async function signIn(browser, motcuaBin, account, wait = { timeout: 15000, interval: 100 }) {
  // The first look-ups can race the window's first load (WebKitWebDriver then answers too late and the
  // request times out): wait patiently for the gate's login field, present in both forms, first.
  await browser.$(byTestId('login-user')).waitForDisplayed({ timeout: Math.max(60000, wait.timeout), interval: 500 });
  const first = browser.$(byTestId('first-run-form'));
  const login = browser.$(byTestId('login-form'));
  await browser.waitUntil(async () => (await first.isExisting()) || (await login.isExisting()), wait);
  if (await first.isExisting()) {
    await setField(browser, 'login-user', account.login);
    await setField(browser, 'login-name', account.name);
    await setField(browser, 'login-password', account.password);
    await setField(browser, 'login-password2', account.password);
  } else {
    ensureAccount(motcuaBin, account);
    await setField(browser, 'login-user', account.login);
    await setField(browser, 'login-password', account.password);
  }
  await browser.$(byTestId('login-submit')).click();
  await browser.$(byTestId('current-user')).waitForDisplayed(wait);
}
