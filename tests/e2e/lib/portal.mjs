/**
 * The sandbox portal (`motcua-portal`) for the WebDriver tests that need the outbox to reach a real
 * portal: started on loopback with the database and office token `scripts/e2e.sh` made (PORTAL_BIN,
 * PORTAL_DB, PORTAL_PORT), trusting the test PKI's root, so a dossier signed with the test .p12 is
 * accepted ("Được tiếp nhận"). Shared by queue.e2e.mjs and flow.e2e.mjs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { requiredEnv } from './harness.mjs';

/** Starts the portal and resolves once it listens; pass the child to `stopPortal`. */
export function startPortal() {
  const trust = path.join(requiredEnv('REPO'), 'tests/fixtures/pki/root.cert.pem');
  const child = spawn(
    requiredEnv('PORTAL_BIN'),
    ['--db', requiredEnv('PORTAL_DB'), 'serve', '--bind', `127.0.0.1:${requiredEnv('PORTAL_PORT')}`, '--trust', trust],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening on')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`motcua-portal exited with ${code}: ${out}`)));
  });
}

/** Stops a portal started by `startPortal` (nothing to do for `null` or an exited child). */
export function stopPortal(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
