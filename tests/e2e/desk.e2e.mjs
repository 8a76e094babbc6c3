/**
 * End-to-end test of MotCua Desk: drives the real app binary through WebDriver (tauri-driver in front of
 * WebKitWebDriver) and checks the result in the database with the `motcua` CLI. Started by
 * `scripts/e2e.sh`, which builds the app, prepares an isolated data folder with the catalogue imported,
 * and runs Xvfb and tauri-driver. Steps run in order; the first failure skips the rest (they depend on
 * it). Prints a final line "N passed, N failed" and exits non-zero on any failure. The app opens on the login
 * gate, so the first step signs in (creating the first account on a fresh data folder).
 *
 * Environment: APP_BINARY (the motcua-desk binary), MOTCUA_BIN (the motcua CLI), MOTCUA_DATA_DIR,
 * WEBDRIVER_PORT (tauri-driver's port), SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { signIn } from './lib/accounts.mjs';
import { byTestId, exitWith, Key, openSession, requiredEnv, runSteps, screenshot } from './lib/harness.mjs';


const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
requiredEnv('MOTCUA_DATA_DIR'); // the CLI below and the app both read it

const PROCEDURE_CODE = '1.001193';
const APPLICANT = {
  fullName: 'Nguyễn Thị Hồng Nhung',
  citizenId: '001190012345',
  dateOfBirth: '02/03/1990',
  phone: '0912 345 678',
  address: 'Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội',
  email: 'hong.nhung@example.vn',
};
const WAIT = { timeout: 15000, interval: 100 };




/**
 * Types `text` into a field like a clerk would. If the WebDriver cannot synthesise a character (some
 * drivers drop non-ASCII keys), the value is set through the DOM with an `input` event instead, and the
 * fallback is logged so it is visible in the test output.
 */
async function fill(browser, testId, text) {
  const field = await browser.$(byTestId(testId));
  await field.waitForDisplayed(WAIT);
  await field.setValue(text);
  if ((await field.getValue()) === text) return;
  console.log(`  note: typing into ${testId} lost characters; setting the value through the DOM`);
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
  assert.equal(await field.getValue(), text, `value of ${testId}`);
}

async function main() {
  const browser = await openSession();

  let createdCode = '';
  const steps = [
    [
      'sign in (on a fresh data folder the first-run form creates the supervisor account)',
      async () => {
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        await signIn(browser, MOTCUA_BIN, { login: 'quantri', password: 'mat-khau-e2e-2026', role: 'supervisor', name: 'Quản trị E2E' }, WAIT);
      },
    ],
    [
      'the window shows "MotCua Desk" and the (empty) dossier list in Vietnamese',
      async () => {
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        assert.equal(await browser.getTitle(), 'MotCua Desk');
        assert.equal(await browser.$(byTestId('app-title')).getText(), 'MotCua Desk');
        await browser.$(byTestId('dossier-empty')).waitForDisplayed(WAIT);
        assert.match(await browser.$(byTestId('btn-new-dossier')).getText(), /Tiếp nhận hồ sơ mới/);
        await screenshot(browser, '01-empty-list');
      },
    ],
    [
      'the header switches the UI to English (remembered in localStorage) and back to Vietnamese',
      async () => {
        await browser.$(byTestId('lang-en')).click();
        await browser.$(byTestId('btn-new-dossier')).waitUntil(async function () {
          return /Receive new dossier/.test(await this.getText());
        }, WAIT);
        await screenshot(browser, '02-english');
        assert.equal(await browser.execute(() => localStorage.getItem('motcua.locale')), 'en', 'choice remembered');
        assert.equal(await browser.execute(() => document.documentElement.lang), 'en');
        await browser.$(byTestId('lang-vi')).click();
        await browser.$(byTestId('btn-new-dossier')).waitUntil(async function () {
          return /Tiếp nhận hồ sơ mới/.test(await this.getText());
        }, WAIT);
      },
    ],
    [
      'F2 opens the form and Esc closes it',
      async () => {
        await browser.keys([Key.F2]);
        await browser.$(byTestId('new-dossier-form')).waitForDisplayed(WAIT);
        await browser.keys([Key.Escape]);
        await browser.$(byTestId('new-dossier-form')).waitForDisplayed({ ...WAIT, reverse: true });
      },
    ],
    [
      'submitting an empty form shows Vietnamese validation messages',
      async () => {
        await browser.keys([Key.F2]);
        await browser.$(byTestId('new-dossier-form')).waitForDisplayed(WAIT);
        await browser.$(byTestId('btn-submit')).click();
        const procedureError = browser.$(byTestId('error-procedureCode'));
        await procedureError.waitForDisplayed(WAIT);
        assert.equal(await procedureError.getText(), 'Vui lòng chọn thủ tục.');
        assert.equal(await browser.$(byTestId('error-fullName')).getText(), 'Vui lòng nhập trường này.');
        await screenshot(browser, '03-validation');
      },
    ],
    [
      `the procedure picker finds ${PROCEDURE_CODE} from "dang ky khai sinh" (no accents) and by code + Enter`,
      async () => {
        await fill(browser, 'procedure-search', 'dang ky khai sinh');
        const option = browser.$(`${byTestId('procedure-option')}[data-code="${PROCEDURE_CODE}"]`);
        await option.waitForDisplayed(WAIT);
        assert.match(await option.getText(), /Đăng ký khai sinh/);
        await screenshot(browser, '04-procedure-search');
        // Keyboard path: search by code, Enter picks the highlighted (first) match.
        await fill(browser, 'procedure-search', PROCEDURE_CODE);
        await browser.$(`${byTestId('procedure-option')}[data-code="${PROCEDURE_CODE}"]`).waitForDisplayed(WAIT);
        await browser.keys([Key.Enter]);
        const selected = browser.$(byTestId('procedure-selected'));
        await selected.waitForDisplayed(WAIT);
        assert.equal(await selected.getAttribute('data-code'), PROCEDURE_CODE);
      },
    ],
    [
      'filling the applicant and pressing Enter creates the dossier and shows its code',
      async () => {
        await fill(browser, 'field-full-name', APPLICANT.fullName);
        await fill(browser, 'field-citizen-id', APPLICANT.citizenId);
        await fill(browser, 'field-dob', APPLICANT.dateOfBirth);
        await fill(browser, 'field-phone', APPLICANT.phone);
        await fill(browser, 'field-address', APPLICANT.address);
        await fill(browser, 'field-email', APPLICANT.email);
        // After the failed submit the fields are re-checked live: corrected fields lose their message.
        assert.equal(await browser.$(byTestId('error-fullName')).isExisting(), false, 'full-name error cleared');
        assert.equal(await browser.$(byTestId('error-citizenId')).isExisting(), false, 'citizen-ID error cleared');
        await screenshot(browser, '05-form-filled');
        await browser.keys([Key.Enter]);
        const code = browser.$(byTestId('created-code'));
        await code.waitForDisplayed(WAIT);
        createdCode = (await code.getText()).trim();
        assert.ok(createdCode.length > 0, 'a dossier code is shown');
        await browser.$(byTestId('new-dossier-form')).waitForDisplayed({ ...WAIT, reverse: true });
      },
    ],
    [
      'the new dossier appears in the list with applicant and procedure',
      async () => {
        const row = browser.$(`${byTestId('dossier-row')}[data-code="${createdCode}"]`);
        await row.waitForDisplayed(WAIT);
        assert.equal(await row.$(byTestId('dossier-applicant')).getText(), APPLICANT.fullName);
        assert.equal(await row.$(byTestId('dossier-procedure-code')).getText(), PROCEDURE_CODE);
        await fill(browser, 'dossier-search', 'nguyen thi hong');
        await row.waitForDisplayed(WAIT);
        await screenshot(browser, '06-list-with-dossier');
      },
    ],
    [
      'the dossier is in the database (motcua dossier show --json)',
      async () => {
        const output = execFileSync(MOTCUA_BIN, ['dossier', 'show', createdCode, '--json'], { encoding: 'utf8' });
        const stored = JSON.parse(output);
        assert.equal(stored.code, createdCode);
        assert.equal(stored.procedure_code, PROCEDURE_CODE);
        assert.equal(stored.applicant.full_name, APPLICANT.fullName);
        assert.equal(stored.applicant.citizen_id, APPLICANT.citizenId);
      },
    ],
    [
      'the dossier opens in the detail panel with its documents and timeline; Esc closes it',
      async () => {
        const row = browser.$(`${byTestId('dossier-row')}[data-code="${createdCode}"]`);
        await row.$(byTestId('dossier-open')).click();
        const detail = browser.$(byTestId('dossier-detail'));
        await detail.waitForDisplayed(WAIT);
        assert.equal(await detail.$(byTestId('detail-applicant')).getText(), APPLICANT.fullName);
        const entry = detail.$(`${byTestId('timeline-entry')}[data-action="dossier.create"]`);
        await entry.waitForDisplayed(WAIT);
        assert.match(await entry.getText(), /Tiếp nhận hồ sơ/);
        const documents = await detail.$$(`${byTestId('detail-documents')} li`);
        assert.ok(documents.length >= 1, 'the procedure\'s required documents are listed');
        await screenshot(browser, '07-dossier-detail');
        await browser.keys([Key.Escape]);
        await detail.waitForDisplayed({ ...WAIT, reverse: true });
      },
    ],
  ];

  return runSteps({ steps, browser: () => browser, name: 'desk' });
}

exitWith(main());
