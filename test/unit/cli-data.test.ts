// Issue 10: `hone data mnist` finds the clone's copy, or downloads from mirrors with every file checked
// against its SHA-256. The mirrors here are local HTTP servers, so the test needs no network and passes
// the same with or without one. They serve the clone's copy, which is not LeCun's files: through the CLI
// a download of it is refused; fetchMnist, given that copy's sums, shows the download path itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import fs, { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT } from '../helpers/cli';
import { MNIST_FILES } from '../../src/core/spec';
import { CLONE_MNIST_SHA256, fetchMnist, mnistCopyIn } from '../../src/core/datasets';

const REPO_MNIST = join(ROOT, 'data', 'mnist');
let dir: string;
let server: Server;
let base: string;
/** A port nothing listens on (taken from the OS, then released). */
let closed: string;
const served: string[] = [];

before(async () => {
  dir = makeTmpDir();
  // /good/<file> serves the real file; /bad/<file> the same with one byte flipped; anything else 404.
  server = createServer((req, res) => {
    served.push(req.url!);
    const [, kind, file] = req.url!.split('/');
    if (!(MNIST_FILES as readonly string[]).includes(file) || !['good', 'bad'].includes(kind)) return void res.writeHead(404).end();
    const body = readFileSync(join(REPO_MNIST, file));
    if (kind === 'bad') body[100] ^= 0xff;
    res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
  await new Promise((r) => probe.close(r));
});
after(() => {
  server.close();
  removeTmpDir(dir);
});

/** The CLI with chosen mirrors, asynchronously (the test's own server must keep answering meanwhile). */
function hone(args: string[], mirrors: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/hone.js'), ...args], {
    env: { ...process.env, HONE_DATASETS: join(dir, 'home'), HONE_MNIST_MIRRORS: mirrors.join(',') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  return new Promise((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
}

const same = (a: string, b: string) => readFileSync(a).equals(readFileSync(b));

test('telling which MNIST a folder holds reads each of its four files once, though the clone\'s copy is checked against both sets of sums', (t) => {
  const read = fs.readFileSync;
  const reads: string[] = [];
  t.mock.method(fs, 'readFileSync', (...args: Parameters<typeof fs.readFileSync>) => {
    reads.push(String(args[0]));
    return read(...args);
  });
  assert.equal(mnistCopyIn(REPO_MNIST), 'clone');
  assert.deepEqual(reads, MNIST_FILES.map((f) => join(REPO_MNIST, f)));
});

test('a clone finds its own copy, and says it is not LeCun\'s files: nothing to download', async () => {
  assert.equal(mnistCopyIn(REPO_MNIST), 'clone');
  const r = await hone(['data', 'mnist'], [`${base}/none/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `MNIST is at ${REPO_MNIST} (the clone's copy, checksums verified; not LeCun's files: its images are inverted, see data/mnist/README.md)`);
  assert.equal(served.length, 0);
});

test('a download is checked against LeCun\'s sums: a mirror serving any other copy is refused, each mirror and why, nothing half-written', async () => {
  const target = join(dir, 'fails');
  const r = await hone(['data', 'mnist', '--dir', target], [closed, `${base}/good/`, `${base}/missing/`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /hone: could not download train-images-idx3-ubyte\.gz:\n  http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz: ECONNREFUSED\n  .*\/good\/train-images-idx3-ubyte\.gz: checksum mismatch \(sha256 50a1c509[0-9a-f]{56}, expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609\)/);
  assert.match(r.stderr, /\/missing\/train-images-idx3-ubyte\.gz: HTTP 404/);
  assert.deepEqual(existsSync(target) ? readdirSync(target) : [], []);
});

test('downloads each file from the first mirror that serves it with the expected checksum', async () => {
  const target = join(dir, 'fresh');
  const got = await fetchMnist(target, { mirrors: [closed, `${base}/bad/`, `${base}/good/`], sums: CLONE_MNIST_SHA256 });
  assert.deepEqual(got, [...MNIST_FILES]);
  for (const f of MNIST_FILES) assert.ok(same(join(target, f), join(REPO_MNIST, f)), f);
  assert.deepEqual(readdirSync(target).sort(), [...MNIST_FILES].sort(), 'no temp files left');
});

test('a damaged file already there is replaced; good ones are kept', async () => {
  const target = join(dir, 'damaged');
  mkdirSync(target);
  for (const f of MNIST_FILES) writeFileSync(join(target, f), readFileSync(join(REPO_MNIST, f)));
  writeFileSync(join(target, 't10k-labels-idx1-ubyte.gz'), 'not gzip');
  assert.equal(mnistCopyIn(target), undefined);
  served.length = 0;
  const got = await fetchMnist(target, { mirrors: [`${base}/good/`], sums: CLONE_MNIST_SHA256 });
  assert.deepEqual(got, ['t10k-labels-idx1-ubyte.gz']);
  assert.deepEqual(served, ['/good/t10k-labels-idx1-ubyte.gz']);
  assert.ok(same(join(target, 't10k-labels-idx1-ubyte.gz'), join(REPO_MNIST, 't10k-labels-idx1-ubyte.gz')));
  assert.equal(mnistCopyIn(target), 'clone');
});

test('a spec that says "source": "mnist" without a path trains from the clone\'s copy and records the folder', () => {
  const spec = join(dir, 'pathless.hone.json');
  writeFileSync(spec, JSON.stringify({ name: 'pathless', data: { source: 'mnist', limit: 300, split: { train: 0.9, val: 0.1, test: 0 }, normalize: 'scale' }, model: { type: 'mlp', layers: [16] }, train: { epochs: 1 } }));
  const store = join(dir, 'pathless-store');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/hone.js'), 'run', spec, '--store', store], { encoding: 'utf8', env: { ...process.env, HONE_DATASETS: join(dir, 'empty') } });
  assert.equal(r.status, 0, r.stderr);
  const [id] = readdirSync(join(store, 'runs'));
  assert.equal(JSON.parse(readFileSync(join(store, 'runs', id, 'run.json'), 'utf8')).spec.data.path, REPO_MNIST);
});

test('without MNIST anywhere (a Hone installed without its data/), the problem says where it looked and what to run', () => {
  // The CLI bundle alone, outside the clone: it finds no data/mnist above itself.
  const app = join(dir, 'app');
  mkdirSync(join(app, 'bin'), { recursive: true });
  mkdirSync(join(app, 'dist'));
  writeFileSync(join(app, 'bin/hone.js'), readFileSync(join(ROOT, 'bin/hone.js')));
  writeFileSync(join(app, 'dist/cli.js'), readFileSync(join(ROOT, 'dist/cli.js')));
  const spec = join(dir, 'nomnist.hone.json');
  writeFileSync(spec, JSON.stringify({ name: 'nomnist', data: { source: 'mnist' }, model: { type: 'cnn' } }));
  const r = spawnSync(process.execPath, [join(app, 'bin/hone.js'), 'run', spec, '--store', join(dir, 'nomnist-store')], { encoding: 'utf8', env: { ...process.env, HONE_DATASETS: join(dir, 'empty') } });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim(), `hone: ${spec}: data.path: expected a folder holding MNIST: none of ${join(dir, 'empty', 'mnist')} has it (\`hone data mnist\` downloads it), or a path, found nothing`);
  assert.equal(existsSync(join(dir, 'nomnist-store')), false);
});
