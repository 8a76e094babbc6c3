/**
 * The whole counter-to-portal flow of issue 9 in one run, on the real app through WebDriver, with the
 * sandbox portal on loopback (tests/e2e/lib/portal.mjs): Tiếp nhận — a dossier for procedure 1.001193
 * with the applicant filled from the CCCD QR test picture → Quét — the test scans imported into TP1 (three
 * pages) and TP2, the card picture into TP3 (the third mandatory document), the last page of TP1 moved to
 * the front and rotated, every document assembled → Ký số — the stamp placed on page 2 of TP1 with the
 * preview (preset, drag, arrow keys), every document signed with the test .p12, the signed TP1's widget
 * /Rect checked → Biên nhận — Mẫu 01 shown with pdf.js,
 * "Nộp hồ sơ" → Hàng đợi — the job reaches "Được tiếp nhận" once the portal has really accepted it (the
 * portal's receipt number is shown and matches the CLI's) → Xác minh, as a supervisor — the signed PDF of
 * TP1 dropped on the window is valid (green: the counter signs with the local time-stamping authority set
 * as `sign.tsa-url`, tests/e2e/lib/tsa.mjs, so the signing time is trusted) and a copy with one byte
 * flipped inside the signed range is invalid (red). Each screen's screenshot lands in target/e2e-screenshots/flow-*.png.
 *
 * The drop is the webview's own drag-and-drop event (`tauri://drag-drop`, the event an OS drop raises)
 * emitted inside the window: WebDriver cannot synthesise an OS drag from the file manager.
 *
 * Started by scripts/e2e.sh (APP_BINARY, MOTCUA_BIN, MOTCUA_DATA_DIR, WEBDRIVER_PORT, SCREENSHOT_DIR,
 * E2E_WORK, PORTAL_BIN, PORTAL_DB, PORTAL_PORT, REPO); `MOTCUA_E2E_ONLY=flow scripts/e2e.sh` runs it alone.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureAccount, setField, signIn } from './lib/accounts.mjs';
import { pageIds, waitPages } from './lib/capture.mjs';
import { byTestId, dropFiles, exitWith, Key, openSession, requiredEnv, runSteps, screenshot } from './lib/harness.mjs';
import { startPortal, stopPortal } from './lib/portal.mjs';
import { startTsa, stopTsa } from './lib/tsa.mjs';

const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
const DATA_DIR = requiredEnv('MOTCUA_DATA_DIR');
const REPO = requiredEnv('REPO');
const WORK = mkdtempSync(path.join(process.env.E2E_WORK ?? os.tmpdir(), 'flow-'));

const CLERK = { login: 'canbo-luong', password: 'mat-khau-luong-2026', role: 'clerk', name: 'Cán bộ Luồng' };
const SUPERVISOR = { login: 'giamsat-luong', password: 'mat-khau-giam-sat-2026', role: 'supervisor', name: 'Giám sát Luồng' };
const fixture = (...parts) => path.join(REPO, 'tests/fixtures', ...parts);
const CARD_PHOTO = fixture('cccd', 'card-photo.jpg');
const P12 = fixture('pki', 'signer-rsa2048.p12');
const P12_PASSWORD = 'matkhau-thu-nghiem'; // the test PKI's password (tests/fixtures/pki/README.md)
const PROCEDURE_CODE = '1.001193';
const CARD = { fullName: 'Nguyễn Thị Hồng Nhung', citizenId: '001190012345', dateOfBirth: '02/03/1990' };
const MANDATORY = ['TP1', 'TP2', 'TP3'];
/** DOM waits; SLOW covers image work and signing on the loaded 2-core machine; NETWORK the outbox. */
const WAIT = { timeout: 20000, interval: 100 };
const SLOW = { timeout: 120000, interval: 250 };
const NETWORK = { timeout: 90000, interval: 250 };

function motcua(args) {
  return execFileSync(MOTCUA_BIN, args, { encoding: 'utf8' }).trim();
}

/** The trust folder of the verify screen: the test root and its CRLs (set before the app starts). */
function trustFolder() {
  const anchors = path.join(WORK, 'chung-thu-tin-cay');
  mkdirSync(anchors, { recursive: true });
  copyFileSync(fixture('pki', 'root.cert.pem'), path.join(anchors, 'root.cert.pem'));
  for (const crl of ['root.crl.pem', 'revoked.crl.pem']) copyFileSync(fixture('signed', crl), path.join(anchors, crl));
  return anchors;
}

/** The stamp preview's state (data-rendered, -doc, -page, -pages, -x, -y). */
function stampState(browser) {
  return browser.execute((selector) => ({ ...document.querySelector(selector)?.dataset }), byTestId('stamp-preview'));
}

async function waitStamp(browser, test, what) {
  await browser.waitUntil(async () => test(await stampState(browser)), { ...SLOW, timeoutMsg: `stamp preview: ${what}` });
}

/** The /Rect of the signature widget of a signed PDF (the last one added), as numbers. */
function signatureRect(file) {
  const text = readFileSync(file).toString('latin1');
  const widgets = [...text.matchAll(/obj\s*<<((?:(?!endobj)[\s\S])*?\/FT\s*\/Sig(?:(?!endobj)[\s\S])*?)endobj/g)];
  assert.ok(widgets.length > 0, `a signature field in ${file}`);
  const rect = /\/Rect\s*\[\s*([^\]]*)\]/.exec(widgets[widgets.length - 1][1]);
  assert.ok(rect, 'the widget has a /Rect');
  return rect[1].trim().split(/\s+/).map((n) => Math.round(Number(n) * 100) / 100);
}

/**
 * Drops files on the verify screen as the webview's drag-drop event would, once the screen listens for it
 * (a drop before its listener is registered is lost, which a slow machine showed), then waits for the
 * file's card; a verify error shown instead fails at once with its text.
 */
async function dropAndWaitForCard(browser, filePath) {
  await browser.$(`${byTestId('verify-drop')}[data-listening="true"]`).waitForExist(WAIT);
  await dropFiles(browser, [filePath]);
  const card = browser.$(`${byTestId('verify-file')}[data-path="${filePath}"]`);
  const error = browser.$(byTestId('verify-error'));
  const shown = await browser
    .waitUntil(async () => (await card.isDisplayed()) || (await error.isExisting()), SLOW)
    .then(() => true, () => false);
  if (await card.isDisplayed()) return card;
  const screenText = await browser.$(byTestId('screen-verify')).getText();
  assert.fail(`${shown ? 'the verify screen shows an error' : `no verdict for ${filePath}`}; the screen reads: ${screenText}`);
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  motcua(['config', 'set', 'verify.trust-dir', trustFolder()]);
  const tsa = await startTsa();
  motcua(['config', 'set', 'sign.tsa-url', tsa.url]);
  ensureAccount(MOTCUA_BIN, SUPERVISOR);
  const portal = await startPortal();
  const browser = await openSession();

  async function open(screen) {
    await browser.$(byTestId(`nav-${screen}`)).click();
    await browser.$(byTestId(`screen-${screen}`)).waitForDisplayed(WAIT);
  }

  let code = '';
  let signedPdf = '';
  let tamperedPdf = '';
  const steps = [
    [
      'Tiếp nhận: the CCCD picture fills the applicant; the dossier for 1.001193 is created with its checklist',
      async () => {
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        await open('reception');
        await setField(browser, 'cccd-path', CARD_PHOTO);
        await browser.$(byTestId('btn-read-card')).click();
        await browser.$(byTestId('cccd-ok')).waitForDisplayed(SLOW);
        assert.equal(await browser.$(byTestId('field-full-name')).getValue(), CARD.fullName);
        assert.equal(await browser.$(byTestId('field-citizen-id')).getValue(), CARD.citizenId);
        assert.equal(await browser.$(byTestId('field-dob')).getValue(), CARD.dateOfBirth);
        await setField(browser, 'procedure-search', PROCEDURE_CODE);
        await browser.$(`${byTestId('procedure-option')}[data-code="${PROCEDURE_CODE}"]`).waitForDisplayed(WAIT);
        await browser.keys([Key.Enter]);
        await browser.$(byTestId('procedure-selected')).waitForDisplayed(WAIT);
        await screenshot(browser, 'flow-01-reception');
        await browser.$(byTestId('btn-submit')).click();
        const current = browser.$(`${byTestId('checklist')} ${byTestId('current-dossier')}`);
        await current.waitForDisplayed(WAIT);
        code = await current.getAttribute('data-code');
        assert.ok(code, 'a dossier code');
        const stored = JSON.parse(motcua(['dossier', 'show', code, '--json']));
        assert.equal(stored.procedure_code, PROCEDURE_CODE);
        assert.equal(stored.applicant.full_name, CARD.fullName);
        assert.equal(stored.applicant.citizen_id, CARD.citizenId);
        await screenshot(browser, 'flow-02-checklist');
      },
    ],
    [
      'Quét: the test scans go into TP1 and TP2 (the card picture into TP3); the last page of TP1 moves first and is rotated',
      async () => {
        await open('capture');
        await browser.$(byTestId('doc-TP1')).waitForDisplayed(WAIT);
        await browser.$(byTestId('doc-TP1')).click();
        await setField(browser, 'capture-paths', `${fixture('scans', 'text-skew0-150.jpg')};${fixture('scans', 'text-bw-2pages-150.tif')}`);
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 3, SLOW);
        await browser.$(byTestId('doc-TP2')).click();
        await setField(browser, 'capture-paths', fixture('scans', 'colour-stamp-150.jpg'));
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 1, SLOW);
        await browser.$(byTestId('doc-TP3')).click();
        await setField(browser, 'capture-paths', CARD_PHOTO);
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 1, SLOW);

        await browser.$(byTestId('doc-TP1')).click();
        await waitPages(browser, 3, SLOW);
        const before = await pageIds(browser);
        const last = before[2];
        await browser.$(`[data-page-id="${last}"]`).click();
        await browser.keys([Key.Control, Key.ArrowLeft]);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await pageIds(browser))[1] === last, WAIT);
        await browser.$(`[data-page-id="${last}"]`).click();
        await browser.keys([Key.Control, Key.ArrowLeft]);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await pageIds(browser))[0] === last, WAIT);
        await browser.$(byTestId('btn-page-rotate')).click();
        await browser.waitUntil(
          async () => (await browser.$(`[data-page-id="${last}"]`).getAttribute('data-rotation')) === '90',
          WAIT,
        );
        assert.deepEqual(await pageIds(browser), [last, before[0], before[1]]);
        await browser.waitUntil(
          () => browser.execute(() => document.querySelectorAll('[data-testid="page-grid"] img').length === 3),
          { ...SLOW, timeoutMsg: 'three thumbnails' },
        );
        await screenshot(browser, 'flow-03-capture-reordered');
      },
    ],
    [
      'Quét: every document is assembled',
      async () => {
        await browser.$(byTestId('btn-assemble')).click();
        for (const doc of MANDATORY) {
          await browser.waitUntil(
            async () => (await browser.$(byTestId(`doc-${doc}`)).getAttribute('data-assembled')) === 'true',
            { ...SLOW, timeoutMsg: `${doc} assembled` },
          );
        }
        await screenshot(browser, 'flow-04-capture-assembled');
      },
    ],
    [
      'Ký số: the stamp preview shows TP1; page 2, a preset, a drag and the arrow keys place the box',
      async () => {
        await open('sign');
        await waitStamp(browser, (s) => s.rendered === 'true' && s.doc === 'TP1', 'TP1 drawn');
        const canvas = await browser.execute(() => {
          const c = document.querySelector('[data-testid="stamp-canvas"]');
          return c ? [c.width, c.height] : [0, 0];
        });
        assert.ok(canvas[0] >= 200 && canvas[1] >= 100, `the page is drawn (${canvas})`);
        // Page 2 of TP1, then the "bottom left" preset: half an inch from the edges.
        await browser.execute((selector) => {
          const input = document.querySelector(selector);
          input.value = '2';
          input.dispatchEvent(new Event('change', { bubbles: true }));
        }, byTestId('stamp-page'));
        await waitStamp(browser, (s) => s.page === '2' && s.rendered === 'true', 'page 2 drawn');
        await browser.$(byTestId('stamp-preset-bottomLeft')).click();
        await waitStamp(browser, (s) => s.x === '36.0' && s.y === '36.0', 'bottom-left preset');
        // Dragging the box 40 px to the right moves it 40 px / scale points.
        const box = browser.$(byTestId('stamp-box'));
        await box.waitForDisplayed(WAIT);
        await browser.execute((selector) => document.querySelector(selector)?.scrollIntoView({ block: 'center' }), byTestId('stamp-box'));
        await browser
          .action('pointer')
          .move({ origin: box })
          .down()
          .move({ origin: 'pointer', x: 20, y: 0 })
          .move({ origin: 'pointer', x: 20, y: 0 })
          .up()
          .perform();
        await waitStamp(browser, (s) => Number(s.x) > 36 + 40, 'the box dragged to the right');
        await screenshot(browser, 'flow-05-stamp-dragged');
        // Back to the preset, then Shift+→ (10 pt) and ↑ (2 pt) on the focused box.
        await browser.$(byTestId('stamp-preset-bottomLeft')).click();
        await waitStamp(browser, (s) => s.x === '36.0', 'bottom-left preset again');
        await box.click();
        await browser.keys([Key.Shift, Key.ArrowRight]);
        await browser.keys([Key.Shift]);
        await browser.keys([Key.ArrowUp]);
        await waitStamp(browser, (s) => s.page === '2' && s.x === '46.0' && s.y === '38.0', 'moved by the arrow keys');
        await screenshot(browser, 'flow-06-stamp-placed');
      },
    ],
    [
      'Ký số: every document is signed with the test .p12 and one password, the stamp where it was placed',
      async () => {
        await setField(browser, 'sign-p12-path', P12);
        await setField(browser, 'sign-secret', P12_PASSWORD);
        await browser.keys([Key.Control, 'k']);
        await browser.keys([Key.Control]);
        await browser.$(byTestId('sign-ok')).waitForDisplayed(SLOW);
        assert.equal(await browser.$(byTestId('sign-ok')).getAttribute('data-timestamped'), 'true', 'time-stamped by the TSA');
        for (const doc of MANDATORY) {
          assert.equal(await browser.$(byTestId(`sign-doc-${doc}`)).getAttribute('data-signed'), 'true', doc);
        }
        assert.equal(await browser.$(`${byTestId('screen-sign')} ${byTestId('current-dossier')}`).getAttribute('data-status'), 'signed');
        const stored = JSON.parse(motcua(['dossier', 'show', code, '--json']));
        const tp1 = stored.documents.find((d) => d.code === 'TP1');
        assert.deepEqual(
          signatureRect(path.join(DATA_DIR, 'blobs', tp1.pdf_sha256.slice(0, 2), tp1.pdf_sha256)),
          [46, 38, 276, 102],
          'the widget /Rect of the signed TP1 is the placed box (230 × 64 pt)',
        );
        await screenshot(browser, 'flow-07-signed');
      },
    ],
    [
      'Biên nhận: the Mẫu 01 receipt is shown with pdf.js, then "Nộp hồ sơ" puts the dossier in the outbox',
      async () => {
        await open('receipt');
        await browser.$(byTestId('btn-issue-receipt')).click();
        await browser.waitUntil(
          async () => Number(await browser.$(byTestId('receipt-pages')).getAttribute('data-pages')) >= 1,
          { ...SLOW, timeoutMsg: 'receipt rendered' },
        );
        const drawn = await browser.execute(() => {
          const canvas = document.querySelector('[data-testid="receipt-pages"] canvas');
          return canvas ? canvas.width * canvas.height : 0;
        });
        assert.ok(drawn > 100000, 'a page-sized canvas');
        await screenshot(browser, 'flow-08-receipt');
        await browser.$(byTestId('btn-submit-dossier')).click();
        await browser.$(byTestId('submitted')).waitForDisplayed(WAIT);
      },
    ],
    [
      'Hàng đợi: the job reaches "Được tiếp nhận" once the sandbox portal has accepted it',
      async () => {
        await open('queue');
        const row = browser.$(`${byTestId('queue-row')}[data-dossier="${code}"]`);
        await row.waitUntil(async function () {
          return (await this.isExisting()) && (await this.getAttribute('data-state')) === 'accepted';
        }, { ...NETWORK, timeoutMsg: `the job of ${code} never reached "accepted"` });
        assert.equal(await row.$(byTestId('queue-state')).getText(), 'Được tiếp nhận');
        // The portal's own record: the receipt number it issued is the one shown.
        const job = JSON.parse(motcua(['queue', 'list', '--json'])).find((j) => j.dossier === code);
        assert.equal(job?.state, 'accepted');
        assert.ok(job.receipt, 'the portal issued a receipt number');
        assert.equal(await row.$(byTestId('queue-receipt')).getText(), job.receipt);
        await screenshot(browser, 'flow-09-queue-accepted');
      },
    ],
    [
      'Xác minh: the supervisor drops the signed PDF of TP1 on the window and sees it valid (chain, CRL, integrity)',
      async () => {
        const stored = JSON.parse(motcua(['dossier', 'show', code, '--json']));
        const tp1 = stored.documents.find((d) => d.code === 'TP1');
        assert.ok(tp1?.pdf_sha256, 'TP1 has its signed PDF');
        signedPdf = path.join(WORK, `${code}-TP1-da-ky.pdf`);
        copyFileSync(path.join(DATA_DIR, 'blobs', tp1.pdf_sha256.slice(0, 2), tp1.pdf_sha256), signedPdf);
        // One byte flipped in the middle of the first signed range (before the /Contents gap).
        const bytes = readFileSync(signedPdf);
        const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(bytes.toString('latin1'));
        assert.ok(range, 'the signed PDF has a /ByteRange');
        bytes[Math.floor(Number(range[2]) / 2)] ^= 0x01;
        tamperedPdf = path.join(WORK, `${code}-TP1-bi-sua.pdf`);
        writeFileSync(tamperedPdf, bytes);

        await browser.$(byTestId('btn-logout')).click();
        await signIn(browser, MOTCUA_BIN, SUPERVISOR, WAIT);
        await open('verify');
        const card = await dropAndWaitForCard(browser, signedPdf);
        // Signed with a time-stamp from the TSA set in the settings: nothing to warn about — integrity,
        // signature, chain to the trusted root, CRL and the trusted signing time all hold.
        assert.equal(await card.getAttribute('data-verdict'), 'VALID');
        const warnings = await browser.execute(
          (selector) => [...document.querySelectorAll(`${selector} ul.warnings li`)].map((li) => li.textContent),
          `${byTestId('verify-file')}[data-path="${signedPdf}"]`,
        );
        assert.deepEqual(warnings, [], 'no warning');
        assert.match(await card.getAttribute('class'), /\bgreen\b/);
        const text = await card.getText();
        assert.match(text, /Hợp lệ/);
        assert.match(text, /Nguyễn Văn An → MotCua Test Intermediate CA → MotCua Test Root CA/);
        assert.match(text, /Chưa bị thu hồi/);
        assert.match(text, /Không thay đổi/);
        await screenshot(browser, 'flow-10-verify-valid');
      },
    ],
    [
      'Xác minh: the tampered copy dropped on the window is invalid (red)',
      async () => {
        const card = await dropAndWaitForCard(browser, tamperedPdf);
        assert.equal(await card.getAttribute('data-verdict'), 'INVALID');
        assert.match(await card.getAttribute('class'), /\bred\b/);
        assert.match(await card.getText(), /Không hợp lệ/);
        await screenshot(browser, 'flow-11-verify-tampered');
      },
    ],
  ];

  return runSteps({
    steps,
    browser: () => browser,
    name: 'flow',
    cleanup: async () => {
      stopTsa(tsa);
      await stopPortal(portal);
    },
  });
}

exitWith(main());
