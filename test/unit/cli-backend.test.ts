// `hone backend ls` and `hone backend install` as real processes: the table and its reasons, optional
// packages found in $HONE_BACKEND_DIR, and an install that fails cleanly (no internet for libtensorflow).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT } from '../helpers/cli';
import { installGpuBackend } from '../../src/core/backends';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

function hone(args: string[], backendDir: string, timeout = 60_000) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), ...args], { encoding: 'utf8', timeout, env: { ...process.env, HONE_BACKEND_DIR: backendDir } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

test('hone backend ls prints one row per backend, in preference order, with why each does or does not work', () => {
  const r = hone(['backend', 'ls'], join(dir, 'empty'));
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^backend\s+works\s+detail$/);
  const rows = lines.slice(2).map((l) => l.split(/\s{2,}/));
  assert.deepEqual(rows.map((x) => x[0]), ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
  assert.deepEqual(rows.map((x) => x[1]), ['no', 'no', 'no', 'yes', 'yes']);
  assert.match(rows[1][2], /@tensorflow\/tfjs-node is not installed .*`hone backend install tensorflow` installs it into .*empty/);
  assert.match(rows[2][2], /webgpu is not installed .*`hone backend install webgpu`/);
  assert.match(rows[3][2], /loads and passes the self-test/);
});

test('a backend package in $HONE_BACKEND_DIR is loaded from there, and its own load error is reported', () => {
  const backends = join(dir, 'backends');
  const pkg = join(backends, 'node_modules/@tensorflow/tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');\n");
  const r = hone(['backend', 'ls', '--json'], backends);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; ok: boolean; detail: string }[];
  const tensorflow = rows.find((x) => x.name === 'tensorflow')!;
  assert.equal(tensorflow.ok, false);
  assert.equal(tensorflow.detail, 'libtensorflow.so.2: cannot open shared object file: No such file or directory');
  assert.match(rows.find((x) => x.name === 'tensorflow-gpu')!.detail, /not installed/);
});

test('hone backend install tensorflow fails cleanly here, naming the libtensorflow download as the reason', () => {
  const backends = join(dir, 'install');
  const r = hone(['backend', 'install', 'tensorflow'], backends, 240_000);
  assert.equal(r.signal, null, 'the install finished by itself');
  assert.equal(r.code, 1, r.stdout);
  const message = r.stderr.trim().split('\n').pop()!;
  assert.match(message, /^hone: could not install @tensorflow\/tfjs-node@4\.22\.0 into .*install: /);
  assert.match(message, /downloads libtensorflow from https:\/\/storage\.googleapis\.com\/\S+libtensorflow\S+, and that download failed/);
  assert.match(message, /needs internet access to storage\.googleapis\.com/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*hone/, 'no stack trace of Hone');
  assert.ok(!existsSync(join(backends, 'node_modules/@tensorflow/tfjs-node/package.json')), 'npm left no half-installed package');
});

test('hone backend install rejects an unknown backend (exit 2)', () => {
  const r = hone(['backend', 'install', 'cuda'], join(dir, 'x'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected one of tensorflow, tensorflow-gpu, webgpu, found cuda/);
});

/** Whether a process exists and is not a zombie (a killed child waits to be reaped by init). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

test('an install that hangs is stopped at its timeout, install scripts included', async () => {
  const fake = join(dir, 'fake-npm.sh');
  const pidFile = join(dir, 'sleep.pid');
  writeFileSync(fake, `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\necho "npm http fetch GET 200 https://registry.npmjs.org/@tensorflow%2ftfjs-node"\nwait\n`);
  chmodSync(fake, 0o755);
  const lines: string[] = [];
  const t0 = Date.now();
  await assert.rejects(installGpuBackend(join(dir, 'hang'), 'tensorflow', (l) => lines.push(l), { npm: fake, timeoutMs: 1500 }), /did not finish within 2 s \(stopped\)/);
  assert.ok(Date.now() - t0 < 10_000);
  assert.ok(lines.some((l) => l.includes('registry.npmjs.org')), 'npm output is passed to the log');
  const pid = Number(readFileSync(pidFile, 'utf8'));
  for (let i = 0; i < 20 && running(pid); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(!running(pid), 'the child of npm was stopped too');
});

test('a missing npm is reported as such', async () => {
  await assert.rejects(installGpuBackend(join(dir, 'nonpm'), 'webgpu', () => {}, { npm: join(dir, 'no-such-npm') }), /could not install webgpu@~0\.6\.2 and @tensorflow\/tfjs-backend-webgpu@4\.22\.0 .*could not start .*no-such-npm.*ENOENT/);
});
