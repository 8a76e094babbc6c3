/**
 * End-to-end test of the supervisor's side of MotCua Desk (issue 9) on the real app through WebDriver.
 * Prepared through the `motcua` CLI: a supervisor and a clerk account; a PDF signed by `motcua sign` with
 * the test .p12 and a time-stamp from the local test TSA (tests/support/tsa_server.py); a tampered copy
 * with one byte flipped inside the signed range; a trust folder with the test root and its CRLs.
 * Then, in the window: a wrong password is refused in Vietnamese; the supervisor signs in, sets the trust
 * folder and imports the root in Cài đặt (a bad value is refused beside its field), adds a clerk account,
 * verifies the signed PDF (green) and a folder with both files (the tampered one red), saves the HTML
 * report, opens Báo cáo and exports XLSX; the clerk signs in and sees no supervisor screen. Dropping files on the window is an
 * OS drag-and-drop that WebDriver cannot synthesise: the same run is started from the path field here.
 *
 * Started by scripts/e2e.sh (environment: APP_BINARY, MOTCUA_BIN, MOTCUA_DATA_DIR, WEBDRIVER_PORT,
 * SCREENSHOT_DIR, E2E_WORK). Prints "N passed, N failed"; exits non-zero on any failure.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAccount, setField, signIn } from './lib/accounts.mjs';
import { byTestId, exitWith, Key, openSession, requiredEnv, runSteps, screenshot } from './lib/harness.mjs';


const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
requiredEnv('MOTCUA_DATA_DIR');
const WORK = mkdtempSync(path.join(process.env.E2E_WORK ?? os.tmpdir(), 'supervisor-'));
const WAIT = { timeout: 20000, interval: 100 };

const SUPERVISOR = { login: 'lan', password: 'mat-khau-lan-2026', role: 'supervisor', name: 'Nguyễn Thị Lan' };
const CLERK = { login: 'binh', password: 'mat-khau-binh-2026', role: 'clerk', name: 'Trần Văn Bình' };
const P12 = path.join(REPO, 'tests/fixtures/pki/signer-rsa2048.p12');
const P12_PASSWORD = 'matkhau-thu-nghiem';




/** Starts the local TSA and resolves its URL; `stop()` closes its stdin (it exits). */
function startTsa() {
  return new Promise((resolve, reject) => {
    const tsa = spawn('python3', [path.join(REPO, 'tests/support/tsa_server.py'), path.join(REPO, 'tests/fixtures/pki')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    tsa.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve({ url: `http://127.0.0.1:${port}/`, stop: () => tsa.stdin.end() });
    });
    tsa.on('error', reject);
    tsa.on('exit', (code) => reject(new Error(`TSA exited (${code}) before listening`)));
  });
}

/** Accounts, the signed and tampered PDFs, the trust folder and two dossiers, all through the CLI. */
async function prepare() {
  ensureAccount(MOTCUA_BIN, SUPERVISOR);
  ensureAccount(MOTCUA_BIN, CLERK);
  const folder = path.join(WORK, 'ho-so');
  mkdirSync(folder, { recursive: true });
  const signed = path.join(folder, 'to-khai-da-ky.pdf');
  const tsa = await startTsa();
  try {
    execFileSync(
      MOTCUA_BIN,
      ['sign', '--p12', P12, '--password-env', 'E2E_P12_PASSWORD', '--tsa', tsa.url, '-o', signed, path.join(REPO, 'tests/fixtures/pdf/classic.pdf')],
      { env: { ...process.env, E2E_P12_PASSWORD: P12_PASSWORD }, stdio: 'pipe' },
    );
  } finally {
    tsa.stop();
  }
  // One byte flipped inside the first signed range (before the /Contents gap).
  const bytes = readFileSync(signed);
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(bytes.toString('latin1'));
  assert.ok(range, 'the signed PDF has a /ByteRange');
  const position = Math.floor(Number(range[2]) / 2);
  bytes[position] ^= 0x01;
  const tampered = path.join(folder, 'to-khai-bi-sua.pdf');
  writeFileSync(tampered, bytes);
  const anchors = path.join(WORK, 'chung-thu-tin-cay');
  mkdirSync(anchors, { recursive: true });
  copyFileSync(path.join(REPO, 'tests/fixtures/pki/root.cert.pem'), path.join(anchors, 'root.cert.pem'));
  for (const crl of ['root.crl.pem', 'revoked.crl.pem']) copyFileSync(path.join(REPO, 'tests/fixtures/signed', crl), path.join(anchors, crl));
  for (const name of ['Lê Văn Tám', 'Phạm Thị Hoa']) {
    execFileSync(MOTCUA_BIN, ['dossier', 'new', '--procedure', '1.001193', '--applicant-name', name, '--citizen-id', '001090012345'], { stdio: 'pipe' });
  }
  return { folder, signed, tampered, anchors };
}

async function main() {
  const files = await prepare();
  const browser = await openSession();

  const nav = (id) => browser.$(byTestId(`nav-${id}`));
  async function open(screen) {
    await nav(screen).click();
    await browser.$(byTestId(`screen-${screen}`)).waitForDisplayed(WAIT);
  }
  async function fileCard(filePath) {
    const card = browser.$(`${byTestId('verify-file')}[data-path="${filePath}"]`);
    await card.waitForDisplayed(WAIT);
    return card;
  }
  const reportFile = path.join(WORK, 'bao-cao-xac-minh.html');
  const xlsxFile = path.join(WORK, 'bao-cao.xlsx');

  const steps = [
    [
      'a wrong password is refused with a clear Vietnamese message',
      async () => {
        await browser.$(byTestId('login-form')).waitForDisplayed(WAIT);
        await setField(browser, 'login-user', SUPERVISOR.login);
        await setField(browser, 'login-password', 'sai-mat-khau');
        await browser.keys([Key.Enter]);
        const error = browser.$(byTestId('login-error'));
        await error.waitForDisplayed(WAIT);
        assert.equal(await error.getAttribute('data-code'), 'wrong_password');
        assert.equal(await error.getText(), 'Sai tên đăng nhập hoặc mật khẩu.');
        assert.equal(await browser.$(byTestId('login-password')).getValue(), '', 'the password field is cleared');
        await screenshot(browser, 'login-wrong-password');
      },
    ],
    [
      'the supervisor signs in and sees the verify, reports and settings screens',
      async () => {
        await signIn(browser, MOTCUA_BIN, SUPERVISOR, WAIT);
        assert.equal(await browser.$(byTestId('current-user')).getAttribute('data-role'), 'supervisor');
        for (const id of ['dossiers', 'verify', 'reports', 'settings']) assert.ok(await nav(id).isDisplayed(), `nav-${id}`);
        await screenshot(browser, 'login-supervisor');
      },
    ],
    [
      'settings: a bad value is refused beside its field; the trust folder is saved; the root certificate is imported',
      async () => {
        await open('settings');
        await browser.$(byTestId('setting-agency.name')).waitForDisplayed(WAIT);
        await setField(browser, 'setting-portal.token-env', 'abc-123-ma-truy-cap');
        await browser.$(byTestId('settings-save')).click();
        const problem = browser.$(byTestId('problem-portal.token-env'));
        await problem.waitForDisplayed(WAIT);
        assert.match(await problem.getText(), /không phải tên biến môi trường/);
        await screenshot(browser, 'settings-invalid');
        await setField(browser, 'setting-portal.token-env', 'MOTCUA_PORTAL_TOKEN');
        await setField(browser, 'setting-agency.name', 'UBND phường Bến Thành');
        await setField(browser, 'setting-verify.trust-dir', files.anchors);
        await browser.$(byTestId('settings-save')).click();
        await browser.$(byTestId('settings-message')).waitForDisplayed(WAIT);
        assert.equal(execFileSync(MOTCUA_BIN, ['config', 'get', 'verify.trust-dir'], { encoding: 'utf8' }).trim(), files.anchors);
        assert.equal(execFileSync(MOTCUA_BIN, ['config', 'get', 'agency.name'], { encoding: 'utf8' }).trim(), 'UBND phường Bến Thành');
        await setField(browser, 'trust-import-path', path.join(REPO, 'tests/fixtures/pki/root.cert.pem'));
        await browser.$(byTestId('trust-import')).click();
        await browser.$(byTestId('trusted-list')).waitUntil(async function () {
          return (await this.getText()).includes('MotCua Test Root CA') && (await this.getText()).includes('đã nhập');
        }, WAIT);
        await screenshot(browser, 'settings-saved');
      },
    ],
    [
      'settings: the supervisor adds a clerk account in the accounts panel',
      async () => {
        await setField(browser, 'account-login', 'chi');
        await setField(browser, 'account-name', 'Đỗ Thị Chi');
        await setField(browser, 'account-password', 'mat-khau-chi-2026');
        await browser.$(byTestId('account-submit')).click();
        await browser.$(byTestId('accounts-message')).waitForDisplayed(WAIT);
        await browser.$(`${byTestId('account-row')}[data-login="chi"]`).waitForDisplayed(WAIT);
        const users = JSON.parse(execFileSync(MOTCUA_BIN, ['user', 'list', '--json'], { encoding: 'utf8' }));
        const chi = users.find((u) => u.login === 'chi');
        assert.equal(chi?.role, 'clerk');
        assert.equal(chi?.display_name, 'Đỗ Thị Chi');
        await browser.$(byTestId('accounts')).scrollIntoView();
        await screenshot(browser, 'settings-accounts');
      },
    ],
    [
      'settings: a local day off is added to the office calendar (saved in the data folder), a weekend one is refused, and it can be removed',
      async () => {
        // March of next year has no statutory holiday: its first Wednesday and Saturday.
        const year = new Date().getFullYear() + 1;
        const first = (weekday) => {
          const day = new Date(Date.UTC(year, 2, 1));
          while (day.getUTCDay() !== weekday) day.setUTCDate(day.getUTCDate() + 1);
          return day.toISOString().slice(0, 10);
        };
        const wednesday = first(3);
        const saturday = first(6);
        const calendarFile = path.join(process.env.MOTCUA_DATA_DIR, 'calendar-overrides.json');
        await browser.$(byTestId('office-calendar')).scrollIntoView();
        await setField(browser, 'office-day-date', saturday);
        await setField(browser, 'office-day-label', 'Nghỉ thử');
        await browser.$(byTestId('office-day-submit')).click();
        const refusal = browser.$(byTestId('calendar-error'));
        await refusal.waitForDisplayed(WAIT);
        assert.match(await refusal.getText(), /phải là ngày trong tuần/);
        await setField(browser, 'office-day-date', wednesday);
        await setField(browser, 'office-day-label', 'Nghỉ lễ kỷ niệm thành lập xã');
        await browser.$(byTestId('office-day-submit')).click();
        const row = browser.$(`${byTestId('office-day')}[data-date="${wednesday}"]`);
        await row.waitForDisplayed(WAIT);
        assert.match(await row.getText(), /Thứ Tư .*Ngày nghỉ.*Nghỉ lễ kỷ niệm thành lập xã/s);
        assert.ok(readFileSync(calendarFile, 'utf8').includes(wednesday), 'the day is in the office calendar file');
        await browser.$(byTestId('office-calendar')).scrollIntoView();
        await screenshot(browser, 'settings-calendar');
        await row.$(byTestId('office-day-remove')).click();
        await row.waitForExist({ timeout: WAIT.timeout, reverse: true });
        assert.ok(!readFileSync(calendarFile, 'utf8').includes(wednesday), 'the day left the file');
      },
    ],
    [
      'verify: the PDF signed by motcua sign is valid (green)',
      async () => {
        await open('verify');
        await setField(browser, 'verify-path', files.signed);
        await browser.keys([Key.Enter]);
        const card = await fileCard(files.signed);
        assert.equal(await card.getAttribute('data-verdict'), 'VALID');
        assert.match(await card.getAttribute('class'), /\bgreen\b/);
        const text = await card.getText();
        assert.match(text, /Hợp lệ/);
        assert.match(text, /Nguyễn Văn An/);
        assert.match(text, /theo dấu thời gian/);
        await browser.$(byTestId('verify-done')).waitForDisplayed(WAIT);
        await screenshot(browser, 'verify-valid');
      },
    ],
    [
      'verify: a folder with the signed and the tampered copy shows the tampered one invalid (red)',
      async () => {
        await setField(browser, 'verify-path', files.folder);
        await browser.keys([Key.Enter]);
        const tampered = await fileCard(files.tampered);
        assert.equal(await tampered.getAttribute('data-verdict'), 'INVALID');
        assert.match(await tampered.getAttribute('class'), /\bred\b/);
        assert.match(await tampered.getText(), /Không hợp lệ/);
        const signed = await fileCard(files.signed);
        assert.equal(await signed.getAttribute('data-verdict'), 'VALID');
        await browser.$(byTestId('verify-done')).waitUntil(async function () {
          return (await this.getText()).includes('2/2');
        }, WAIT);
        await screenshot(browser, 'verify-tampered');
      },
    ],
    [
      'verify: "Lưu báo cáo" writes the Vietnamese HTML report',
      async () => {
        await setField(browser, 'verify-report-path', reportFile);
        await browser.$(byTestId('verify-save')).click();
        await browser.$(byTestId('verify-saved')).waitForDisplayed(WAIT);
        const html = readFileSync(reportFile, 'utf8');
        assert.equal((html.match(/BIÊN BẢN KIỂM TRA CHỮ KÝ SỐ/g) ?? []).length, 2);
        assert.match(html, /KHÔNG HỢP LỆ/);
        assert.match(html, /to-khai-bi-sua\.pdf/);
        await screenshot(browser, 'verify-saved');
      },
    ],
    [
      'reports: the period figures, the trend chart and an XLSX export',
      async () => {
        await open('reports');
        const totals = browser.$(byTestId('report-totals'));
        await totals.waitForDisplayed(WAIT);
        assert.match(await totals.getText(), /Tiếp nhận/);
        await browser.$(byTestId('report-chart')).waitForDisplayed(WAIT);
        assert.match(await browser.$(byTestId('report-office')).getText(), /Bến Thành/);
        await setField(browser, 'report-export-path', xlsxFile);
        await browser.$(byTestId('report-export-xlsx')).click();
        await browser.$(byTestId('report-exported')).waitForDisplayed(WAIT);
        assert.ok(existsSync(xlsxFile), 'the workbook exists');
        assert.equal(readFileSync(xlsxFile).subarray(0, 2).toString('latin1'), 'PK');
        await screenshot(browser, 'reports-figures');
      },
    ],
    [
      'the clerk signs in and sees no supervisor screen',
      async () => {
        await browser.$(byTestId('btn-logout')).click();
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        assert.equal(await browser.$(byTestId('current-user')).getAttribute('data-role'), 'clerk');
        assert.ok(await nav('dossiers').isDisplayed());
        for (const id of ['verify', 'reports', 'settings']) assert.equal(await nav(id).isExisting(), false, `nav-${id} hidden`);
        // Alt+7 (the verify screen's shortcut for a supervisor) does nothing for a clerk.
        await browser.keys([Key.Alt, '7']);
        await browser.keys([Key.Alt]);
        assert.equal(await browser.$(byTestId('screen-verify')).isExisting(), false);
        await screenshot(browser, 'login-clerk');
      },
    ],
    [
      'the audit chain is intact after these changes (motcua audit verify)',
      async () => {
        execFileSync(MOTCUA_BIN, ['audit', 'verify'], { stdio: 'pipe' });
      },
    ],
  ];

  return runSteps({ steps, browser: () => browser, name: 'supervisor' });
}

exitWith(main());
