/**
 * The local RFC 3161 time-stamping authority (tests/support/tsa_server.py: `openssl ts -reply` behind
 * HTTP on a free loopback port, signing with the test PKI's TSA certificate) for the WebDriver tests that
 * set the counter's `sign.tsa-url`. The server exits when its stdin closes, so `stopTsa` just ends it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { requiredEnv } from './harness.mjs';

/** Starts the TSA and resolves `{ child, url }` once it has printed its port. */
export function startTsa() {
  const repo = requiredEnv('REPO');
  const child = spawn('python3', [path.join(repo, 'tests/support/tsa_server.py'), path.join(repo, 'tests/fixtures/pki')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}/tsa` });
    });
    child.on('exit', (code) => reject(new Error(`tsa_server.py exited with ${code}: ${out}`)));
  });
}

/** Stops a TSA started by `startTsa` (nothing to do for `null`). */
export function stopTsa(tsa) {
  if (!tsa || tsa.child.exitCode !== null) return;
  tsa.child.removeAllListeners('exit');
  tsa.child.stdin.end();
  tsa.child.kill('SIGTERM');
}
