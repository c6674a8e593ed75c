// `hone backend ls` and `hone backend install` as real processes: the table and its reasons, optional
// packages found in $HONE_BACKEND_DIR, and installs run by a real npm against a local registry
// (test/helpers/fake-registry.ts) whose packages fail the way tfjs-node does offline: no test reaches the internet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT } from '../helpers/cli';
import { explainNpmFailure, installGpuBackend } from '../../src/core/backends';
import { npmEnvFor, startFakeRegistry, type FakePackage, type FakeRegistry } from '../helpers/fake-registry';

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
  assert.equal(r.stderr, '', "nothing on stderr: not TF.js's banner telling users to install tfjs-node, which Hone makes optional");
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

/** What tfjs-node's install script does without internet: says it downloads libtensorflow, then dies of the
 * unhandled 'error' event of its https request (scripts/install.js and resources.js in tensorflow/tfjs). */
const OFFLINE_INSTALL_SCRIPT = `console.error('* Downloading libtensorflow');
const e = Object.assign(new Error('getaddrinfo ENOTFOUND storage.googleapis.com'), { errno: -3008, code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'storage.googleapis.com' });
new (require('node:events'))().emit('error', e);
`;

const fakeTfjsNode = (installScript: string): FakePackage => ({
  name: '@tensorflow/tfjs-node',
  version: '4.22.0',
  scripts: { install: 'node scripts/install.js' },
  files: { 'scripts/install.js': installScript, 'index.js': 'module.exports = {};\n' },
});

/** `hone backend install ...` against the local registry; async, as the registry lives in this process. */
async function honeInstall(backend: string, backendDir: string, registry: FakeRegistry) {
  const env = { ...process.env, HONE_BACKEND_DIR: backendDir, ...npmEnvFor(registry, join(backendDir, '..', `${basename(backendDir)}-npm`)) };
  const child = spawn(process.execPath, [join(ROOT, 'bin/hone.js'), 'backend', 'install', backend], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

test('hone backend install tensorflow: when the libtensorflow download fails, it says so and leaves nothing installed', async () => {
  const registry = await startFakeRegistry([fakeTfjsNode(OFFLINE_INSTALL_SCRIPT)]);
  try {
    const backends = join(dir, 'install');
    const r = await honeInstall('tensorflow', backends, registry);
    assert.equal(r.signal, null, 'the install finished by itself');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(registry.requests, ['/@tensorflow/tfjs-node', '/@tensorflow/tfjs-node/-/tfjs-node-4.22.0.tgz'], 'npm got the package from the local registry');
    // npm's output is passed on, indented; Hone's own is one line, with no stack trace.
    assert.match(r.stderr, /^ {2}npm install --prefix \S+install --no-audit --no-fund --foreground-scripts @tensorflow\/tfjs-node@4\.22\.0$/m);
    assert.match(r.stderr, /^ {2}\* Downloading libtensorflow$/m);
    const own = r.stderr.split('\n').filter((l) => l && !l.startsWith('  '));
    assert.equal(own.length, 1, r.stderr);
    assert.equal(
      own[0],
      `hone: could not install @tensorflow/tfjs-node@4.22.0 into ${backends}: its install script downloads libtensorflow, and that download failed (getaddrinfo ENOTFOUND storage.googleapis.com): it needs internet access to storage.googleapis.com`,
    );
    assert.ok(!existsSync(join(backends, 'node_modules/@tensorflow/tfjs-node')), 'npm left no half-installed package');
  } finally {
    await registry.close();
  }
});

test('hone backend install tensorflow installs the package and names its version when the install script succeeds', async () => {
  const registry = await startFakeRegistry([fakeTfjsNode("console.error('* libtensorflow is in place');\n")]);
  try {
    const backends = join(dir, 'install-ok');
    const r = await honeInstall('tensorflow', backends, registry);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `installed @tensorflow/tfjs-node@4.22.0 into ${backends}; \`hone backend ls\` shows whether it works here\n`);
    assert.match(r.stderr, /^ {2}\* libtensorflow is in place$/m);
    assert.equal(JSON.parse(readFileSync(join(backends, 'node_modules/@tensorflow/tfjs-node/package.json'), 'utf8')).version, '4.22.0');
  } finally {
    await registry.close();
  }
});

test('hone backend install names the registry it could not reach', async () => {
  const registry = await startFakeRegistry([]);
  await registry.close(); // its port is now closed: npm's request is refused
  const backends = join(dir, 'install-noreg');
  const r = await honeInstall('webgpu', backends, registry);
  assert.equal(r.code, 1, r.stderr);
  const port = new URL(registry.url).port;
  assert.equal(
    r.stderr.trim().split('\n').pop(),
    `hone: could not install webgpu@~0.6.2 and @tensorflow/tfjs-backend-webgpu@4.22.0 into ${backends}: npm could not reach the registry at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}); it works only on a GPU with a Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver`,
  );
});

test('explainNpmFailure: one sentence from what npm printed', () => {
  const url = 'https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz';
  assert.equal(
    explainNpmFailure(`* Downloading libtensorflow\nError: connect ETIMEDOUT 142.250.0.1:443 fetching ${url}\nnpm error code 1`),
    `its install script downloads libtensorflow from ${url}, and that download failed (connect ETIMEDOUT 142.250.0.1:443): it needs internet access to storage.googleapis.com`,
  );
  assert.equal(
    explainNpmFailure('npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/webgpu failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org\n'),
    'npm could not reach the registry at https://registry.npmjs.org (getaddrinfo EAI_AGAIN registry.npmjs.org)',
  );
  assert.equal(
    explainNpmFailure('npm error code ETARGET\nnpm error notarget No matching version found for webgpu@~0.6.2.\nnpm error\nnpm error A complete log of this run can be found in: /x.log\n'),
    'npm said: code ETARGET / notarget No matching version found for webgpu@~0.6.2.',
  );
  assert.equal(explainNpmFailure(''), 'npm failed without saying why');
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

test('an install script that hangs under a real npm is stopped at the timeout, and its package is removed', async () => {
  const pidFile = join(dir, 'install-script.pid');
  const registry = await startFakeRegistry([fakeTfjsNode(`require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nconsole.error('* Downloading libtensorflow');\nsetInterval(() => {}, 1000);\n`)]);
  try {
    const target = join(dir, 'hang-real');
    const lines: string[] = [];
    await assert.rejects(
      installGpuBackend(target, 'tensorflow', (l) => lines.push(l), { timeoutMs: 6000, env: npmEnvFor(registry, join(dir, 'hang-real-npm')) }),
      { message: `could not install @tensorflow/tfjs-node@4.22.0 into ${target}: npm did not finish within 6 s (stopped)` },
    );
    assert.ok(existsSync(pidFile), `the install script had started before the timeout:\n${lines.join('\n')}`);
    assert.ok(lines.includes('* Downloading libtensorflow'));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 20 && running(pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!running(pid), 'the install script was stopped with npm');
    assert.ok(!existsSync(join(target, 'node_modules/@tensorflow/tfjs-node')), 'no half-installed package (npm had unpacked it before its install script ran)');
  } finally {
    await registry.close();
  }
});

test('a missing npm is reported as such', async () => {
  await assert.rejects(installGpuBackend(join(dir, 'nonpm'), 'webgpu', () => {}, { npm: join(dir, 'no-such-npm') }), /could not install webgpu@~0\.6\.2 and @tensorflow\/tfjs-backend-webgpu@4\.22\.0 .*could not start .*no-such-npm.*ENOENT/);
});
