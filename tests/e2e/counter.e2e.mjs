/**
 * End-to-end test of the counter workflow (issue 9) on the real app: Tiếp nhận with the applicant filled
 * from the CCCD QR test picture (tests/fixtures/cccd, made by `cargo run --example make_cccd`) → Quét
 * (import the test scans into the documents, scan a page with SANE's test backend, reorder and rotate a
 * page, assemble) → Ký số with the test .p12 (a wrong password first). The result is checked with the
 * `motcua` CLI: every document's stored PDF verifies (`motcua verify` against the test root). A second app
 * session shows the work in progress restored. The receipt, submission, portal acceptance and verify
 * steps of the same flow are in flow.e2e.mjs (the receipt and submit steps that were here were exact
 * copies of its steps). The office's scanner profile (Cài đặt → Quét, set with `motcua config set` before
 * the app starts) fills the scanner controls, the scan folder takes a file written there, and a page is
 * dragged with the mouse. Screenshots are saved as `<screen>-<step>.png`. Started by `scripts/e2e.sh`
 * (same environment as desk.e2e.mjs).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signIn } from './lib/accounts.mjs';
import { pageIds, waitPages } from './lib/capture.mjs';
import { byTestId, dropFiles, exitWith, Key, openSession, requiredEnv, restartSession, runSteps, screenshot } from './lib/harness.mjs';
import { fileURLToPath } from 'node:url';


/** The clerk at the counter (created through the CLI, or by the first-run form on a fresh data folder). */
const CLERK = { login: 'canbo-quay', password: 'mat-khau-quay-2026', role: 'clerk', name: 'Cán bộ Quầy' };
const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
const DATA_DIR = requiredEnv('MOTCUA_DATA_DIR');

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (...parts) => path.join(REPO, 'tests/fixtures', ...parts);
const CARD_PHOTO = fixture('cccd', 'card-photo.jpg');
const CARD_WITHOUT_QR = fixture('cccd', 'card-front.png');
const P12 = fixture('pki', 'signer-rsa2048.p12');
const P12_PASSWORD = 'matkhau-thu-nghiem';
const ROOT_CERT = fixture('pki', 'root.cert.pem');
const PROCEDURE_CODE = '1.001193';
const CARD = {
  fullName: 'Nguyễn Thị Hồng Nhung',
  citizenId: '001190012345',
  dateOfBirth: '02/03/1990',
  address: 'Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội',
};
const WAIT = { timeout: 20000, interval: 100 };
const SLOW = { timeout: 120000, interval: 250 };




/** Sets a field's value (typing, or through the DOM with an input event when the driver drops characters). */
async function fill(browser, testId, text) {
  const field = await browser.$(byTestId(testId));
  await field.waitForDisplayed(WAIT);
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
  assert.equal(await field.getValue(), text, `value of ${testId}`);
}

async function openScreen(browser, id) {
  await browser.$(byTestId(`nav-${id}`)).click();
  await browser.$(byTestId(`screen-${id}`)).waitForDisplayed(WAIT);
}

/** Drags page `id` with the mouse (past the drag threshold first) and releases it at `drop` (a WebDriver move). */
async function dragPage(browser, id, drop) {
  await browser
    .action('pointer')
    .move({ origin: browser.$(`[data-page-id="${id}"]`) })
    .down()
    .move({ origin: 'pointer', x: -20, y: 0 })
    .move(drop)
    .up()
    .perform();
}

function cli(args) {
  return execFileSync(MOTCUA_BIN, args, { encoding: 'utf8' });
}


async function main() {
  // The office's scanner profile and scan folder, as a supervisor sets them in Cài đặt → Quét.
  const scanFolder = mkdtempSync(path.join(os.tmpdir(), 'motcua-may-quet-'));
  cli(['config', 'set', 'capture.scanner', 'test']);
  cli(['config', 'set', 'capture.resolution', '150']);
  cli(['config', 'set', 'capture.hot-folder', scanFolder]);
  let browser = await openSession();
  let code = '';
  let tp1 = [];

  const steps = [
    [
      'Tiếp nhận: a picture without a QR code gives a Vietnamese error',
      async () => {
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        await openScreen(browser, 'reception');
        await screenshot(browser, 'reception-01-empty');
        await fill(browser, 'cccd-path', CARD_WITHOUT_QR);
        await browser.$(byTestId('btn-read-card')).click();
        const error = browser.$(byTestId('cccd-error'));
        await error.waitForDisplayed(SLOW);
        assert.equal(await error.getAttribute('data-code'), 'cccd_qr_not_found');
        assert.match(await error.getText(), /Không tìm thấy mã QR/);
        await screenshot(browser, 'reception-02-no-qr');
      },
    ],
    [
      'Tiếp nhận: the photo of the card fills name, ID, birth date and address',
      async () => {
        await fill(browser, 'cccd-path', CARD_PHOTO);
        await browser.$(byTestId('btn-read-card')).click();
        await browser.$(byTestId('cccd-ok')).waitForDisplayed(SLOW);
        assert.equal(await browser.$(byTestId('field-full-name')).getValue(), CARD.fullName);
        assert.equal(await browser.$(byTestId('field-citizen-id')).getValue(), CARD.citizenId);
        assert.equal(await browser.$(byTestId('field-dob')).getValue(), CARD.dateOfBirth);
        assert.equal(await browser.$(byTestId('field-address')).getValue(), CARD.address);
        await screenshot(browser, 'reception-03-filled-from-cccd');
      },
    ],
    [
      `Tiếp nhận: choosing ${PROCEDURE_CODE} and saving opens the dossier with its checklist, all missing`,
      async () => {
        await fill(browser, 'procedure-search', PROCEDURE_CODE);
        await browser.$(`${byTestId('procedure-option')}[data-code="${PROCEDURE_CODE}"]`).waitForDisplayed(WAIT);
        await browser.keys([Key.Enter]);
        await browser.$(byTestId('procedure-selected')).waitForDisplayed(WAIT);
        await browser.$(byTestId('btn-submit')).click();
        const current = browser.$(`${byTestId('checklist')} ${byTestId('current-dossier')}`);
        await current.waitForDisplayed(WAIT);
        code = await current.getAttribute('data-code');
        assert.ok(code, 'a dossier code');
        for (const doc of ['TP1', 'TP2', 'TP3']) {
          assert.equal(await browser.$(byTestId(`check-${doc}`)).getAttribute('data-received'), 'false', doc);
        }
        const stored = JSON.parse(cli(['dossier', 'show', code, '--json']));
        assert.equal(stored.applicant.full_name, CARD.fullName);
        assert.equal(stored.applicant.citizen_id, CARD.citizenId);
        await screenshot(browser, 'reception-04-created-checklist');
      },
    ],
    [
      'Quét: the test scans go into three documents, thumbnails appear',
      async () => {
        await openScreen(browser, 'capture');
        await browser.$(byTestId('doc-TP1')).waitForDisplayed(WAIT);
        await browser.$(byTestId('doc-TP1')).click();
        await fill(browser, 'capture-paths', `${fixture('scans', 'text-skew0-150.jpg')};${fixture('scans', 'text-bw-2pages-150.tif')}`);
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 3, SLOW);
        await browser.waitUntil(
          () => browser.execute(() => document.querySelectorAll('[data-testid="page-grid"] img').length === 3),
          { ...SLOW, timeoutMsg: 'three thumbnails' },
        );
        await screenshot(browser, 'capture-01-imported');
        await browser.$(byTestId('doc-TP2')).click();
        await fill(browser, 'capture-paths', fixture('scans', 'colour-stamp-150.jpg'));
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 1, SLOW);
        await browser.$(byTestId('doc-TP3')).click();
        await fill(browser, 'capture-paths', CARD_PHOTO);
        await browser.$(byTestId('btn-import-paths')).click();
        await waitPages(browser, 1, SLOW);
      },
    ],
    [
      "Quét: SANE's test scanner adds a scanned page to TP4 (Ctrl+S)",
      async () => {
        await browser.$(byTestId('doc-TP4')).click();
        await waitPages(browser, 0, SLOW);
        // The office's profile chose the scanner and the resolution.
        await browser.waitUntil(async () => (await browser.$(byTestId('scanner')).getValue()) === 'test', WAIT);
        assert.equal(await browser.$(byTestId('scan-resolution')).getValue(), '150');
        await browser.$(byTestId('scan-mode')).selectByAttribute('value', 'grey');
        // The glass (no feeder): exactly one page.
        await browser.keys([Key.Control, 's']);
        await browser.keys([Key.Control]);
        await waitPages(browser, 1, SLOW);
        assert.equal(await browser.$(byTestId('capture-error')).isExisting(), false);
        await screenshot(browser, 'capture-02-scanned');
      },
    ],
    [
      'Quét: with the scan folder on, a file a network scanner writes there becomes a page of TP4 and moves to da-nhap',
      async () => {
        const toggle = browser.$(byTestId('scan-folder-on'));
        await toggle.waitForDisplayed(WAIT);
        await toggle.click();
        await browser.$(byTestId('scan-folder-state')).waitForDisplayed(WAIT);
        copyFileSync(fixture('scans', 'text-skew0-150.jpg'), path.join(scanFolder, 'may-quet-0001.jpg'));
        const taken = browser.$(`${byTestId('scan-folder-file')}[data-taken="true"]`);
        await taken.waitForDisplayed(SLOW);
        assert.match(await taken.getText(), /may-quet-0001\.jpg: 1 trang vào TP4/);
        await waitPages(browser, 2, SLOW);
        assert.ok(existsSync(path.join(scanFolder, 'da-nhap', 'may-quet-0001.jpg')), 'moved to da-nhap');
        assert.ok(!existsSync(path.join(scanFolder, 'may-quet-0001.jpg')));
        await screenshot(browser, 'capture-02b-scan-folder');
        await toggle.click();
        await browser.waitUntil(async () => !(await browser.$(byTestId('scan-folder-state')).isExisting()), WAIT);
      },
    ],
    [
      'Quét: a scan dropped on the window from the file manager goes into the selected document (TP4)',
      async () => {
        await browser.$(`${byTestId('capture-work')}[data-files-drop="true"]`).waitForExist(WAIT);
        const before = Number(await browser.$(byTestId('doc-TP4')).getAttribute('data-pages'));
        await dropFiles(browser, [fixture('scans', 'colour-stamp-150.jpg')]);
        await waitPages(browser, before + 1, SLOW);
        const names = await browser.execute(
          (selector) => [...document.querySelectorAll(selector)].map((el) => el.textContent ?? ''),
          `${byTestId('page')} .caption`,
        );
        assert.ok(names.some((n) => n.includes('colour-stamp-150.jpg')), names.join(' | '));
      },
    ],
    [
      'Quét: the last page of TP1 moves to the front and is rotated; the order is saved',
      async () => {
        await browser.$(byTestId('doc-TP1')).click();
        await waitPages(browser, 3, SLOW);
        const before = await pageIds(browser);
        const last = before[2];
        await browser.$(`[data-page-id="${last}"]`).click();
        await browser.$(byTestId('btn-page-earlier')).click();
        await browser.waitUntil(async () => (await pageIds(browser))[1] === last, WAIT);
        // The keyboard path: Ctrl+← on the focused page moves it once more.
        await browser.$(`[data-page-id="${last}"]`).click();
        await browser.keys([Key.Control, Key.ArrowLeft]);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await pageIds(browser))[0] === last, WAIT);
        await browser.$(byTestId('btn-page-rotate')).click();
        await browser.waitUntil(
          async () => (await browser.$(`[data-page-id="${last}"]`).getAttribute('data-rotation')) === '90',
          WAIT,
        );
        tp1 = await pageIds(browser);
        assert.deepEqual(tp1, [last, before[0], before[1]]);
        await screenshot(browser, 'capture-03-reordered-rotated');
      },
    ],
    [
      'Quét: a page dragged with the mouse goes where it is dropped (saved) or onto another document, and Ctrl+Z takes each back',
      async () => {
        const [a, b, c] = tp1;
        const first = browser.$(`[data-page-id="${a}"]`);
        const { width } = await first.getSize();
        await dragPage(browser, c, { origin: first, x: -Math.floor(width / 2) + 6, y: 0 });
        // The order shown is the core's (the screen reloads it after saving).
        await browser.waitUntil(async () => (await pageIds(browser)).join() === [c, a, b].join(), {
          ...WAIT,
          timeoutMsg: 'the third page was not dragged to the front',
        });
        await screenshot(browser, 'capture-03a-dragged');
        await browser.keys([Key.Control, 'z']);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await pageIds(browser)).join() === tp1.join(), { ...WAIT, timeoutMsg: 'Ctrl+Z did not take the drag back' });

        // Dropped on TP2 in the document list, the page moves there.
        const tp2 = browser.$(byTestId('doc-TP2'));
        const tp2Pages = Number(await tp2.getAttribute('data-pages'));
        await dragPage(browser, c, { origin: tp2 });
        await browser.waitUntil(async () => Number(await tp2.getAttribute('data-pages')) === tp2Pages + 1, {
          ...WAIT,
          timeoutMsg: 'the page dropped on TP2 did not move there',
        });
        assert.deepEqual(await pageIds(browser), [a, b]);
        await browser.keys([Key.Control, 'z']);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await pageIds(browser)).join() === tp1.join(), { ...WAIT, timeoutMsg: 'Ctrl+Z did not bring the page back from TP2' });
        assert.equal(Number(await tp2.getAttribute('data-pages')), tp2Pages);
      },
    ],
    [
      'Quét: the large preview opens with Space, compares the original with the cleanup per colour mode, keeps black and white for the page with Enter, moves with → and closes with Esc',
      async () => {
        const [first, second] = tp1;
        await browser.$(`[data-page-id="${first}"]`).click();
        await browser.keys([' ']);
        const preview = browser.$(byTestId('page-preview'));
        await preview.waitForExist(WAIT);
        assert.equal(await preview.getAttribute('data-page-id'), String(first));
        const loaded = () => browser.waitUntil(async () => (await preview.getAttribute('data-loaded')) === 'true', SLOW);
        await loaded();
        // The page was turned a quarter: the original preview is landscape.
        const image = browser.$(byTestId('preview-image'));
        assert.ok(Number(await image.getAttribute('data-width')) > Number(await image.getAttribute('data-height')), 'turned page shown turned');
        assert.equal(await preview.getAttribute('data-result-mode'), '');
        await browser.$(byTestId('preview-mode-bw')).click();
        await browser.waitUntil(async () => (await preview.getAttribute('data-result-mode')) === 'bw', SLOW);
        assert.match(await browser.$(byTestId('preview-result')).getText(), /Đen trắng/);
        await screenshot(browser, 'capture-03b-preview-bw');
        // Enter keeps the shown mode for this page: the core stores it and assembly will clean it so.
        await browser.keys([Key.Enter]);
        await browser.waitUntil(async () => (await preview.getAttribute('data-cleanup')) === 'bw', WAIT);
        assert.match(await browser.$(byTestId('preview-kept')).getText(), /Đen trắng/);
        // The grid marks the page with its kept mode (a quiet badge); the other pages carry none.
        const badge = browser.$(`[data-page-id="${first}"] [data-testid="page-cleanup"]`);
        await badge.waitForExist(WAIT);
        assert.equal(await badge.getAttribute('data-cleanup'), 'bw');
        assert.equal(await badge.getAttribute('title'), 'Chế độ làm sạch giữ cho trang này: Đen trắng');
        assert.equal(await browser.$(`[data-page-id="${second}"] [data-testid="page-cleanup"]`).isExisting(), false);
        // The digit keys pick the mode: 3 = colour, on the same page.
        await browser.keys(['3']);
        await browser.waitUntil(async () => (await preview.getAttribute('data-result-mode')) === 'color', SLOW);
        await browser.keys([Key.ArrowRight]);
        await browser.waitUntil(async () => (await preview.getAttribute('data-page-id')) === String(second), WAIT);
        await loaded();
        await browser.keys([Key.Escape]);
        await preview.waitForExist({ ...WAIT, reverse: true });
        // The grid's selection followed the preview.
        assert.equal(await browser.$(`[data-page-id="${second}"]`).getAttribute('aria-pressed'), 'true');
        // A double-click opens it too; the Close button closes it.
        await browser.$(`[data-page-id="${first}"]`).doubleClick();
        await preview.waitForExist(WAIT);
        await browser.$(byTestId('preview-close')).click();
        await preview.waitForExist({ ...WAIT, reverse: true });
      },
    ],
    [
      'Quét: Ctrl+Z takes back the turn; "Quét lại trang" replaces the third page in place with the next import',
      async () => {
        const [first, second, third] = tp1;
        const rotation = () => browser.$(`[data-page-id="${first}"]`).getAttribute('data-rotation');
        await browser.$(`[data-page-id="${first}"]`).click();
        await browser.$(byTestId('btn-page-rotate')).click();
        await browser.waitUntil(async () => (await rotation()) === '180', WAIT);
        await browser.keys([Key.Control, 'z']);
        await browser.keys([Key.Control]);
        await browser.waitUntil(async () => (await rotation()) === '90', { ...WAIT, timeoutMsg: 'Ctrl+Z turned the page back' });
        await browser.$(`[data-page-id="${third}"]`).click();
        await browser.$(byTestId('btn-page-rescan')).click();
        await browser.$(byTestId('rescan-pending')).waitForExist(WAIT);
        await fill(browser, 'capture-paths', fixture('scans', 'text-skew+2.5-150.jpg'));
        await browser.$(byTestId('btn-import-paths')).click();
        await browser.waitUntil(async () => {
          const ids = await pageIds(browser);
          return ids.length === 3 && !ids.includes(third);
        }, { ...SLOW, timeoutMsg: 'the third page was replaced' });
        const now = await pageIds(browser);
        assert.deepEqual(now.slice(0, 2), [first, second]);
        assert.match(await browser.$(`[data-page-id="${now[2]}"]`).getAttribute('aria-label'), /text-skew\+2\.5-150\.jpg/);
        assert.equal(await browser.$(byTestId('rescan-pending')).isExisting(), false);
        tp1 = now;
        await screenshot(browser, 'capture-03c-rescanned');
      },
    ],
    [
      'Quét: the documents are assembled in the background and attached to the dossier',
      async () => {
        await browser.$(byTestId('btn-assemble')).click();
        for (const doc of ['TP1', 'TP2', 'TP3', 'TP4']) {
          await browser.waitUntil(
            async () => (await browser.$(byTestId(`doc-${doc}`)).getAttribute('data-assembled')) === 'true',
            { ...SLOW, timeoutMsg: `${doc} assembled` },
          );
        }
        const stored = JSON.parse(cli(['dossier', 'show', code, '--json']));
        for (const doc of stored.documents.filter((d) => d.mandatory)) assert.ok(doc.pdf_sha256, `${doc.code} has a PDF`);
        await screenshot(browser, 'capture-04-assembled');
      },
    ],
    [
      'Ký số: a wrong password is refused in plain Vietnamese',
      async () => {
        await openScreen(browser, 'sign');
        await fill(browser, 'sign-p12-path', P12);
        await fill(browser, 'sign-secret', 'sai-mat-khau');
        await browser.$(byTestId('btn-sign')).click();
        const error = browser.$(byTestId('sign-error'));
        await error.waitForDisplayed(SLOW);
        assert.equal(await error.getAttribute('data-code'), 'wrong_pin');
        assert.match(await error.getText(), /Sai mật khẩu/);
        assert.equal(await browser.$(byTestId('sign-secret')).getValue(), '', 'the password field is cleared');
        await screenshot(browser, 'sign-01-wrong-password');
      },
    ],
    [
      'Ký số: the test .p12 signs every document with one password',
      async () => {
        await fill(browser, 'sign-secret', P12_PASSWORD);
        await browser.keys([Key.Control, 'k']);
        await browser.keys([Key.Control]);
        await browser.$(byTestId('sign-ok')).waitForDisplayed(SLOW);
        for (const doc of ['TP1', 'TP2', 'TP3', 'TP4']) {
          assert.equal(await browser.$(byTestId(`sign-doc-${doc}`)).getAttribute('data-signed'), 'true', doc);
        }
        assert.equal(await browser.$(`${byTestId('screen-sign')} ${byTestId('current-dossier')}`).getAttribute('data-status'), 'signed');
        await screenshot(browser, 'sign-02-signed');
      },
    ],
    [
      'CLI: the stored PDFs verify against the test root',
      async () => {
        const stored = JSON.parse(cli(['dossier', 'show', code, '--json']));
        assert.equal(stored.status, 'signed');
        const files = stored.documents
          .filter((d) => d.pdf_sha256)
          .map((d) => path.join(DATA_DIR, 'blobs', d.pdf_sha256.slice(0, 2), d.pdf_sha256));
        assert.equal(files.length, 4, 'TP1–TP3 and the scanned TP4');
        // `motcua verify` exits 0 only when every file is valid (execFileSync throws otherwise).
        const report = JSON.parse(cli(['verify', '--trust', ROOT_CERT, '--json', ...files]));
        assert.equal(report.files.length, 4);
        for (const entry of report.files) {
          assert.match(entry.file.verdict, /^VALID/, entry.file.path);
          assert.equal(entry.file.signatures.length, 1, 'one signature per document');
          assert.equal(entry.file.signatures[0].trusted, true);
        }
      },
    ],
    [
      'reopening the app restores the dossier in progress with its pages',
      async () => {
        browser = await restartSession(browser);
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        await signIn(browser, MOTCUA_BIN, CLERK, WAIT);
        await openScreen(browser, 'capture');
        const current = browser.$(`${byTestId('screen-capture')} ${byTestId('current-dossier')}`);
        await current.waitForDisplayed(WAIT);
        assert.equal(await current.getAttribute('data-code'), code);
        await browser.$(byTestId('doc-TP1')).click();
        await waitPages(browser, 3, SLOW);
        assert.deepEqual(await pageIds(browser), tp1);
        assert.equal(await browser.$(`[data-page-id="${tp1[0]}"]`).getAttribute('data-rotation'), '90');
        await screenshot(browser, 'capture-05-restored');
      },
    ],
  ];

  return runSteps({
    steps,
    browser: () => browser,
    name: 'counter',
    // The other test files share the data folder: the office goes back to no scanner profile.
    cleanup: async () => {
      for (const [key, value] of [['capture.scanner', ''], ['capture.resolution', '300'], ['capture.hot-folder', '']]) cli(['config', 'set', key, value]);
    },
  });
}

exitWith(main());
