/**
 * End-to-end test of the Hồ sơ screen (issues 8 and 9) on the real app: deadline traffic lights, the colour
 * filter, recording a payment in the detail panel, and the Mẫu 04 prompt. Started by `scripts/e2e.sh`
 * (`MOTCUA_E2E_ONLY=dossiers` runs only this file).
 *
 * Dossiers are prepared through the `motcua` CLI on the shared data folder: one received long ago (red),
 * one of a 7-working-day procedure received now (green), one paused in status 5 with `dossier status --at`
 * (its colour depends on today, so the test compares every row with what `motcua dossier list --json` says),
 * and one same-day dossier moved to "received" that `motcua dossier at-risk` lists for Mẫu 04.
 * Steps: colours and remaining time match the CLI; filter by red; record a cash payment in the detail panel
 * and read it back with `motcua dossier fees --json`; the apology banner lists the at-risk dossier; issue a
 * Mẫu 04 from it and see it in the CLI's timeline; "Tiếp tục xử lý" on a draft whose page was added by
 * `motcua dossier add-pages` makes it the dossier in progress and shows that page on the capture screen (a
 * paused dossier offers no such button). Screenshots `dossiers-*.png`.
 *
 * Environment: APP_BINARY, MOTCUA_BIN, MOTCUA_DATA_DIR, WEBDRIVER_PORT, SCREENSHOT_DIR (see scripts/e2e.sh).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setField, signIn } from './lib/accounts.mjs';
import { byTestId, exitWith, openSession, requiredEnv, restartSession, runSteps, screenshot } from './lib/harness.mjs';



const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
requiredEnv('MOTCUA_DATA_DIR');
const WAIT = { timeout: 20000, interval: 150 };
const CLERK = { login: 'canbo-hoso', password: 'mat-khau-ho-so-2026', role: 'clerk', name: 'Cán bộ Hồ sơ' };



function motcua(args) {
  return execFileSync(MOTCUA_BIN, args, { encoding: 'utf8', env: { ...process.env, MOTCUA_ACTOR: 'e2e' } }).trim();
}

function newDossier(procedure, name, receivedAt) {
  const args = ['dossier', 'new', '--procedure', procedure, '--applicant-name', name, '--citizen-id', '001190012345'];
  if (receivedAt) args.push('--received-at', receivedAt);
  return motcua(args);
}

/** "YYYY-MM-DD HH:MM" in Vietnam time, `days` days from now. */
function vietnamTime(days, hour, minute = 0) {
  const t = new Date(Date.now() + 7 * 3600_000 + days * 86400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(hour)}:${pad(minute)}`;
}

function toReceived(code, at) {
  for (const status of ['ready', 'signed', 'queued', 'received']) {
    motcua(['dossier', 'status', code, status, ...(at ? ['--at', at] : [])]);
  }
}

/** Sets a <select> by value and fires `change` (what the keyboard or a click would do). */
async function choose(browser, testId, value) {
  await browser.execute(
    (selector, v) => {
      const select = document.querySelector(selector);
      select.value = v;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    byTestId(testId),
    value,
  );
}

/** The rows shown: code → colour (or null without a deadline). */
async function shownColours(browser) {
  return browser.execute(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid="dossier-row"]')].map((row) => [
        row.getAttribute('data-code'),
        row.querySelector('[data-testid="dossier-deadline"]')?.getAttribute('data-colour') ?? null,
      ]),
    ),
  );
}

async function main() {
  // Prepared before the app starts, so the first list already has them.
  const red = newDossier('1.001193', 'Đỗ Quá Hạn', '2026-01-05 09:00');
  const green = newDossier('1.004222', 'Ngô Trong Hạn');
  const paused = newDossier('1.004222', 'Lý Chờ Bổ Sung', vietnamTime(-12, 8));
  toReceived(paused, vietnamTime(-12, 9));
  motcua(['dossier', 'status', paused, 'processing', '--at', vietnamTime(-11, 9)]);
  motcua(['dossier', 'status', paused, 'supplement_requested', '--at', vietnamTime(-10, 9)]);
  // A same-day dossier received now is due by the end of the next working period: Mẫu 04 time. If the
  // clock is between the cut-off and closing, one received earlier today is.
  let atRisk = newDossier('1.001193', 'Trịnh Sắp Hạn');
  toReceived(atRisk);
  const listed = () => JSON.parse(motcua(['dossier', 'at-risk', '--json'])).map((c) => c.code);
  if (!listed().includes(atRisk)) {
    const earlier = vietnamTime(0, Math.max(7, new Date(Date.now() + 7 * 3600_000).getUTCHours() - 2));
    atRisk = newDossier('1.001193', 'Trịnh Sắp Hạn Sớm', earlier);
    toReceived(atRisk, earlier);
  }
  // A draft received earlier with one page already captured, to be taken up again from the list.
  const draft = newDossier('1.001193', 'Phan Tiếp Tục');
  motcua(['dossier', 'add-pages', draft, 'TP1', `${requiredEnv('REPO')}/tests/fixtures/scans/text-skew0-150.jpg`]);
  const cliList = JSON.parse(motcua(['dossier', 'list', '--json']));
  const cliColours = Object.fromEntries(cliList.map((d) => [d.code, d.deadline?.colour ?? null]));

  console.log(`prepared red ${red}, green ${green}, paused ${paused}, at risk ${atRisk}`);
  let browser = await openSession();

  const steps = [
    [
      'the list shows each dossier\'s traffic light as the CLI computes it, with text and time left',
      async () => {
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        await browser.$(byTestId('nav-dossiers')).click();
        await browser.waitUntil(async () => (await shownColours(browser))[atRisk] !== undefined, WAIT);
        const shown = await shownColours(browser);
        for (const code of [red, green, paused, atRisk]) assert.equal(shown[code], cliColours[code], code);
        assert.equal(shown[red], 'red');
        assert.equal(shown[green], 'green');
        const redRow = browser.$(`${byTestId('dossier-row')}[data-code="${red}"]`);
        assert.equal(await redRow.$(byTestId('dossier-deadline')).getText(), 'Quá hạn');
        assert.match(await redRow.$(byTestId('dossier-remaining')).getText(), /^quá hạn \d+ ngày/);
        assert.match(
          await browser.$(`${byTestId('dossier-row')}[data-code="${green}"]`).$(byTestId('dossier-remaining')).getText(),
          /^còn \d+ ngày/,
        );
        await screenshot(browser, 'dossiers-01-colours');
      },
    ],
    [
      'sorting by time left puts the overdue dossier first; the colour filter keeps only red ones',
      async () => {
        await browser.$(byTestId('sort-remaining')).click();
        await browser.waitUntil(
          async () => (await browser.$$(byTestId('dossier-row')).map((r) => r.getAttribute('data-code')))[0] !== undefined,
          WAIT,
        );
        const order = await browser.$$(byTestId('dossier-row')).map((r) => r.getAttribute('data-code'));
        const firstColour = (await shownColours(browser))[order[0]];
        assert.equal(firstColour, 'red');
        await choose(browser, 'filter-colour', 'red');
        await browser.waitUntil(async () => Object.values(await shownColours(browser)).every((c) => c === 'red'), WAIT);
        const onlyRed = await shownColours(browser);
        assert.ok(onlyRed[red] === 'red');
        assert.ok(!(green in onlyRed));
        const expected = Object.entries(cliColours).filter(([, c]) => c === 'red').length;
        assert.equal(Object.keys(onlyRed).length, Math.min(expected, 100));
        await screenshot(browser, 'dossiers-02-filter-red');
        await choose(browser, 'filter-colour', '');
      },
    ],
    [
      'recording a cash payment in the detail panel reaches the core',
      async () => {
        await browser.$(`${byTestId('dossier-row')}[data-code="${green}"] ${byTestId('dossier-open')}`).click();
        await browser.$(byTestId('payment-none')).waitForDisplayed(WAIT);
        await choose(browser, 'payment-method', 'cash');
        await setField(browser, 'payment-receipt', 'BL-2026-000123');
        await browser.$(byTestId('payment-save')).click();
        await browser.$(byTestId('payment-recorded')).waitForDisplayed(WAIT);
        assert.match(await browser.$(byTestId('payment-recorded')).getText(), /Tiền mặt tại quầy.*BL-2026-000123/);
        const settlement = JSON.parse(motcua(['dossier', 'fees', green, '--json']));
        assert.equal(settlement.payment.method, 'cash');
        assert.equal(settlement.payment.receipt_no, 'BL-2026-000123');
        await browser.$(`${byTestId('timeline-entry')}[data-action="dossier.payment"]`).waitForDisplayed(WAIT);
        await screenshot(browser, 'dossiers-03-payment');
        await browser.$(byTestId('detail-close')).click();
      },
    ],
    [
      'the Mẫu 04 banner lists the at-risk dossier, and the slip is issued with a new due date',
      async () => {
        const item = browser.$(`${byTestId('apology-candidate')}[data-code="${atRisk}"]`);
        await item.waitForDisplayed(WAIT);
        await screenshot(browser, 'dossiers-04-apology-banner');
        await item.$(byTestId('apology-open')).click();
        await browser.$(byTestId('apology-reason')).waitForDisplayed(WAIT);
        await browser.execute(
          (selector, text) => {
            const box = document.querySelector(selector);
            box.value = text;
            box.dispatchEvent(new Event('input', { bubbles: true }));
          },
          byTestId('apology-reason'),
          'Cần xác minh thêm thông tin hộ tịch với nơi đăng ký trước đây.',
        );
        await browser.$(byTestId('apology-issue')).click();
        await browser.$(byTestId('apology-issued')).waitForDisplayed(WAIT);
        assert.match(await browser.$(byTestId('apology-issued')).getText(), /Ngày hẹn trả mới: \d\d\/\d\d\/\d{4}/);
        await browser.$(`${byTestId('timeline-entry')}[data-action="apology.issued"]`).waitForDisplayed(WAIT);
        await screenshot(browser, 'dossiers-05-apology-issued');
        assert.ok(!listed().includes(atRisk), 'the dossier left the at-risk list');
        await browser.$(byTestId('detail-close')).click();
        await browser.waitUntil(
          async () => !(await browser.$(`${byTestId('apology-candidate')}[data-code="${atRisk}"]`).isExisting()),
          WAIT,
        );
      },
    ],
    [
      '"Tiếp tục xử lý" makes a draft the dossier in progress and opens its captured page; a paused dossier has no such button',
      async () => {
        await browser.$(`${byTestId('dossier-row')}[data-code="${paused}"] ${byTestId('dossier-open')}`).click();
        await browser.$(byTestId('dossier-detail')).waitForDisplayed(WAIT);
        assert.equal(await browser.$(byTestId('detail-continue')).isExisting(), false, 'status 5 is past the counter');
        await browser.$(byTestId('detail-close')).click();

        await browser.$(`${byTestId('dossier-row')}[data-code="${draft}"] ${byTestId('dossier-open')}`).click();
        await browser.$(byTestId('detail-continue')).waitForDisplayed(WAIT);
        await browser.$(byTestId('detail-continue')).click();
        await browser.$(byTestId('screen-capture')).waitForDisplayed(WAIT);
        await browser.$(`${byTestId('current-dossier')}[data-code="${draft}"]`).waitForDisplayed(WAIT);
        await browser.$(`${byTestId('doc-TP1')}[data-pages="1"]`).waitForDisplayed(WAIT);
        await browser.$(`${byTestId('page')} img`).waitForDisplayed(WAIT);
        await screenshot(browser, 'dossiers-06-continue');
      },
    ],
    [
      'the app started with --open CODE has that dossier in progress once the clerk signs in',
      async () => {
        browser = await restartSession(browser, ['--open', green]);
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        await browser.$(byTestId('nav-capture')).click();
        await browser.$(`${byTestId('current-dossier')}[data-code="${green}"]`).waitForDisplayed(WAIT);
      },
    ],
  ];

  return runSteps({ steps, browser: () => browser, name: 'dossiers' });
}

exitWith(main());
