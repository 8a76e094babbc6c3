/**
 * End-to-end test of the Hàng đợi (outbox) screen and the header's online/offline indicator, on the real
 * app with the real sandbox portal (`motcua-portal`) on loopback. Started by `scripts/e2e.sh`, which has
 * already created the portal's database and office token, exported the token in MOTCUA_PORTAL_TOKEN and
 * set `portal.url` / `portal.token-env` in the data folder, so the app's background queue starts
 * configured. This file starts and stops the portal itself (to see the indicator go offline).
 *
 * Flow: portal up → indicator "Trực tuyến"; a dossier is created, given signed PDFs (assembled from a test
 * scan and signed with the test .p12 through the `motcua` CLI) and submitted through the CLI → its job
 * reaches "Được tiếp nhận" with the portal's receipt number on the queue screen; pause shows "Đã tạm dừng"
 * and resume clears it; the portal stops → indicator "Mất kết nối"; a dossier submitted while offline is
 * counted as waiting, and is accepted once the portal is back. Screenshots `queue-*.png`.
 *
 * Environment: as desk.e2e.mjs, plus PORTAL_BIN, PORTAL_DB (the portal's folder, token already made),
 * PORTAL_PORT, and REPO (the repository root, for the test scan and the test PKI).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signIn } from './lib/accounts.mjs';
import { byTestId, exitWith, Key, openSession, requiredEnv, runSteps, screenshot } from './lib/harness.mjs';
import { startPortal, stopPortal } from './lib/portal.mjs';



const MOTCUA_BIN = requiredEnv('MOTCUA_BIN');
requiredEnv('MOTCUA_DATA_DIR');
const REPO = requiredEnv('REPO');

const SCAN = path.join(REPO, 'tests/fixtures/scans/text-border-150.jpg');
const P12 = path.join(REPO, 'tests/fixtures/pki/signer-rsa2048.p12');
const P12_PASSWORD = 'matkhau-thu-nghiem'; // the test PKI's password (tests/fixtures/pki/README.md)
/** Waits on the network (portal start, the probe's period, an upload) are longer than DOM waits. */
const WAIT = { timeout: 60000, interval: 200 };



function motcua(args, env = {}) {
  return execFileSync(MOTCUA_BIN, args, { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
}

/** A signed dossier ready to submit, made through the CLI as the counter screens will: returns its code. */
function signedDossier(work, name) {
  const code = motcua(['dossier', 'new', '--procedure', '1.001193', '--applicant-name', name, '--citizen-id', '001190012345']);
  const assembled = path.join(work, `${code}.pdf`);
  const signed = path.join(work, `${code}-signed.pdf`);
  motcua(['assemble', '-o', assembled, SCAN]);
  motcua(['sign', '--p12', P12, '--password-env', 'E2E_P12_PASSWORD', '-o', signed, assembled], {
    E2E_P12_PASSWORD: P12_PASSWORD,
  });
  const dossier = JSON.parse(motcua(['dossier', 'show', code, '--json']));
  for (const document of dossier.documents.filter((d) => d.mandatory)) {
    motcua(['dossier', 'attach-pdf', code, document.code, signed]);
  }
  motcua(['dossier', 'status', code, 'ready']);
  motcua(['dossier', 'status', code, 'signed']);
  return code;
}

async function waitForConnectivity(browser, value) {
  const indicator = browser.$(byTestId('queue-indicator'));
  await indicator.waitUntil(async function () {
    return (await this.getAttribute('data-connectivity')) === value;
  }, { ...WAIT, timeoutMsg: `indicator never showed ${value}` });
}

async function waitForJob(browser, code, state) {
  const row = browser.$(`${byTestId('queue-row')}[data-dossier="${code}"]`);
  await row.waitUntil(async function () {
    return (await this.isExisting()) && (await this.getAttribute('data-state')) === state;
  }, { ...WAIT, timeoutMsg: `job of ${code} never reached ${state}` });
  return row;
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'motcua-e2e-queue-'));
  let portal = await startPortal();
  const browser = await openSession();

  let first = '';
  let second = '';
  const steps = [
    [
      'with the portal running, the header shows "Trực tuyến" and the waiting count',
      async () => {
        // The app opens on the login gate; a clerk account is enough for the queue.
        await browser.$(byTestId('app-title')).waitForDisplayed(WAIT);
        await signIn(browser, MOTCUA_BIN, { login: 'canbo-hangdoi', password: 'mat-khau-hang-doi-2026', role: 'clerk', name: 'Cán bộ Hàng đợi' }, WAIT);
        await waitForConnectivity(browser, 'online');
        assert.equal(await browser.$(byTestId('queue-connectivity')).getText(), 'Trực tuyến');
        assert.match(await browser.$(byTestId('queue-waiting')).getText(), /^Chờ gửi: \d+$/);
        await screenshot(browser, 'queue-01-online');
      },
    ],
    [
      'a dossier signed with the test .p12 and submitted through the CLI reaches "Được tiếp nhận" on the queue screen',
      async () => {
        first = signedDossier(work, 'Nguyễn Văn Hàng Đợi');
        motcua(['submit', first]);
        await browser.$(byTestId('nav-queue')).click();
        const row = await waitForJob(browser, first, 'accepted');
        assert.equal(await row.$(byTestId('queue-state')).getText(), 'Được tiếp nhận');
        assert.match(await row.$(byTestId('queue-receipt')).getText(), /\S/, 'the portal receipt number is shown');
        const stored = JSON.parse(motcua(['queue', 'list', '--json'])).find((job) => job.dossier === first);
        assert.equal(stored.state, 'accepted');
        assert.equal(await row.$(byTestId('queue-receipt')).getText(), stored.receipt);
        await screenshot(browser, 'queue-02-accepted');
      },
    ],
    [
      'F8 pauses the queue (header shows "Đã tạm dừng") and resumes it',
      async () => {
        await browser.keys([Key.F8]);
        await browser.$(byTestId('queue-paused')).waitForDisplayed(WAIT);
        assert.match(await browser.$(byTestId('queue-toggle-pause')).getText(), /Tiếp tục gửi/);
        await screenshot(browser, 'queue-03-paused');
        await browser.$(byTestId('queue-toggle-pause')).click();
        await browser.$(byTestId('queue-paused')).waitForDisplayed({ ...WAIT, reverse: true });
      },
    ],
    [
      'stopping the portal turns the indicator to "Mất kết nối"',
      async () => {
        await stopPortal(portal);
        portal = null;
        await waitForConnectivity(browser, 'offline');
        assert.equal(await browser.$(byTestId('queue-connectivity')).getText(), 'Mất kết nối');
        await browser.$(byTestId('queue-offline-note')).waitForDisplayed(WAIT);
        await screenshot(browser, 'queue-04-offline');
      },
    ],
    [
      'a dossier submitted while offline is counted as waiting in the header',
      async () => {
        second = signedDossier(work, 'Trần Thị Ngoại Tuyến');
        motcua(['submit', second]);
        const waiting = browser.$(byTestId('queue-waiting'));
        await waiting.waitUntil(async function () {
          return (await this.getAttribute('data-count')) === '1';
        }, { ...WAIT, timeoutMsg: 'the waiting count never showed 1' });
        assert.equal(await waiting.getText(), 'Chờ gửi: 1');
        const row = browser.$(`${byTestId('queue-row')}[data-dossier="${second}"]`);
        await row.waitForExist(WAIT);
        assert.ok(['queued', 'uploading'].includes(await row.getAttribute('data-state')), 'still waiting');
        await screenshot(browser, 'queue-05-offline-waiting');
      },
    ],
    [
      'when the portal is back the waiting dossier is accepted without operator action',
      async () => {
        portal = await startPortal();
        await waitForConnectivity(browser, 'online');
        await waitForJob(browser, second, 'accepted');
        const waiting = browser.$(byTestId('queue-waiting'));
        await waiting.waitUntil(async function () {
          return (await this.getAttribute('data-count')) === '0';
        }, WAIT);
        await screenshot(browser, 'queue-06-back-online');
      },
    ],
  ];

  return runSteps({ steps, browser: () => browser, name: 'queue', cleanup: () => stopPortal(portal) });
}

exitWith(main());
