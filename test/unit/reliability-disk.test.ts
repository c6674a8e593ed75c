// Issue 9 case 7 and the read-only store of case 9, on a real tmpfs that fills up or turns read-only,
// mounted in a private mount namespace (test/helpers/mount-ns.ts). The store stays readable, `rm` frees
// space, and no command prints a stack. Each test failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, ROOT, writeSpec } from '../helpers/cli';
import { MountNamespace } from '../helpers/mount-ns';

const STACK = /\n\s+at .*\(/;
let dir: string;
let ns: MountNamespace;
before(() => {
  dir = makeTmpDir();
  ns = MountNamespace.start();
});
after(() => {
  ns.close();
  removeTmpDir(dir);
});

/** A tmpfs store of `kib` KiB, visible inside the namespace only. */
function tmpfsStore(name: string, kib: number): string {
  const store = join(dir, name);
  mkdirSync(store);
  ns.mountTmpfs(store, kib);
  return store;
}

const hone = (args: string[]) => {
  const r = ns.run([process.execPath, join(ROOT, 'bin/hone.js'), ...args]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const cat = (file: string) => ns.run(['cat', file]).stdout;
const ls = (folder: string) => ns.run(['ls', '-A', folder]).stdout.split('\n').filter(Boolean);

test('a disk full before the run starts: a clear error, exit 1, no empty run folder left', () => {
  const store = tmpfsStore('full-start', 64);
  ns.fill(store);
  const r = hone(['run', writeSpec(dir, 'a', digitsSpec('a', { epochs: 1 })), '--store', store]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^hone: .*no space left on device.*free some space \(hone rm works on a full disk\) and retry\n$/);
  assert.doesNotMatch(r.stderr, STACK);
  assert.deepEqual(ls(join(store, 'runs')), [], 'no run folder without a record');
});

test('a disk that fills while the model is saved: the run is failed, no half model, and the store stays usable', () => {
  // 301k parameters: a 1.2 MB model does not fit in 700 KiB, the run's other files do.
  const store = tmpfsStore('full-save', 700);
  const spec = writeSpec(dir, 'big', { ...digitsSpec('big', { epochs: 1 }), model: { type: 'mlp', layers: [512, 512] } });
  const r = hone(['run', spec, '--store', store]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout + r.stderr, STACK);
  const [id] = ls(join(store, 'runs'));
  const rec = JSON.parse(cat(join(store, 'runs', id, 'run.json')));
  assert.equal(rec.status, 'failed');
  assert.match(rec.message, /could not write the model: no space left on device: free some space/);
  assert.deepEqual(ls(join(store, 'runs', id)).filter((f) => /model/.test(f)), [], 'no model/ and no half-written temp folder');
  for (const args of [['ls'], ['show', id], ['export', id, '--format', 'csv'], ['dashboard', '--out', join(dir, 'dash.html')]]) {
    const c = hone([...args, '--store', store]);
    assert.equal(c.code, 0, `${args[0]}: ${c.stderr}`);
    assert.doesNotMatch(c.stderr, STACK);
  }
  assert.equal(hone(['rm', id, '--store', store]).code, 0);
});

test('a disk that fills mid-training: the run ends crashed, listing works while full, rm frees the space', async () => {
  const store = tmpfsStore('full-train', 2048);
  const spec = writeSpec(dir, 'long', digitsSpec('long', { epochs: 400, batchSize: 16 }));
  const child = ns.spawn([process.execPath, join(ROOT, 'bin/hone.js'), 'run', spec, '--store', store]);
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((res) => child.on('exit', res));
  for (const end = Date.now() + 60_000; !/epoch 2\//.test(out) && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
  ns.fill(store);
  assert.equal(await exited, 1);
  assert.doesNotMatch(out, STACK);
  assert.match(out, /long: crashed \(worker exited with code 3 before finishing: hone worker: could not write .*no space left on device/);
  const list = hone(['ls', '--json', '--store', store]);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(JSON.parse(list.stdout)[0].status, 'crashed', 'a dead worker is crashed, even where that cannot be written');
  assert.match(list.stderr, /the store cannot be written \(no space left on device\): listed from its run folders/);
  const [id] = ls(join(store, 'runs'));
  const rm = hone(['rm', id, '--store', store]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(ls(join(store, 'runs')), []);
  const after = hone(['ls', '--json', '--store', store]);
  assert.deepEqual(JSON.parse(after.stdout), []);
  assert.equal(after.stderr, '', 'the space the run freed lets the index be written again');
});

test('a read-only store: ls, show, export and dashboard read it without the lock; rm says why it cannot', () => {
  const store = tmpfsStore('ro', 2048);
  assert.equal(hone(['run', writeSpec(dir, 'ro', digitsSpec('ro', { epochs: 1 })), '--store', store]).code, 0);
  const [id] = ls(join(store, 'runs'));
  ns.remountReadOnly(store);
  const list = hone(['ls', '--store', store]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /completed/);
  assert.match(list.stderr, /read-only file system/);
  for (const args of [['show', id], ['export', id, '--format', 'json'], ['dashboard', '--out', join(dir, 'ro.html')]]) {
    const c = hone([...args, '--store', store]);
    assert.equal(c.code, 0, `${args[0]}: ${c.stderr}`);
  }
  const rm = hone(['rm', id, '--store', store]);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /^hone: could not write the store: read-only file system\n$/);
  const tag = hone(['tag', id, 'keep', '--store', store]);
  assert.equal(tag.code, 1);
  assert.equal(tag.stderr, `hone: could not write the annotations of run ${id}: read-only file system\n`);
});
