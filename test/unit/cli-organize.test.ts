// Issue 10: organising runs (tags, notes, stars, filters, sort, rm of many, sweeps, compare), lineage kept
// consistent on delete, and provenance, through the real CLI on real stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec, hone, readJson, writeSpec } from '../helpers/cli';
import { fakeRun } from '../helpers/store-fixtures';
import { createRun, writeRunRecord, type RunRecord } from '../../src/core/store';
import { newSweepDir, writeSweepRecord } from '../../src/core/sweep/record';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const ids = (store: string, ...args: string[]) => {
  const r = hone(['ls', '--json', '--store', store, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { id: string }[]).map((v) => v.id);
};

/** A store of finished runs with chosen fields, made with the store's own functions. */
function generated(name: string, runs: Partial<RunRecord>[]): { store: string; made: RunRecord[] } {
  const store = join(dir, name);
  const made = runs.map((over, i) => {
    const { record, dir: runDir } = createRun(store, fakeRun({ name: `r${i}` }));
    const rec = { ...record, status: 'completed' as const, ...over };
    writeRunRecord(runDir, rec);
    return rec;
  });
  return { store, made };
}

test('filters, sort and limit on a generated store; tags that need quoting; bad filters name the position', () => {
  const spec = (lr: number) => ({ train: { lr } }) as unknown as RunRecord['spec'];
  const { store, made } = generated('filters', [
    { status: 'completed', final: { val_accuracy: 0.95 }, spec: spec(0.1) },
    { status: 'failed', final: { val_accuracy: 0.5 }, spec: spec(0.01) },
    { status: 'completed', final: { val_accuracy: 0.91 }, spec: spec(0.001) },
    { status: 'completed', final: { val_accuracy: 0.7 }, spec: spec(0.01) },
  ]);
  const [a, b, c, d] = made.map((r) => r.id);
  assert.equal(hone(['tag', a, 'baseline', 'x=y "q"', '--store', store]).code, 0);
  assert.equal(hone(['tag', c, 'baseline', '--store', store]).code, 0);
  assert.equal(hone(['tag', d, 'two words', '--store', store]).code, 0);
  assert.deepEqual(ids(store, '--filter', 'status=completed tag=baseline val_accuracy>0.9').sort(), [a, c].sort());
  assert.deepEqual(ids(store, '--filter', 'train.lr=0.01'), [d, b]);
  assert.deepEqual(ids(store, '--filter', 'tag="x=y \\"q\\""'), [a]);
  assert.deepEqual(ids(store, '--filter', "tag='two words'"), [d]);
  assert.deepEqual(ids(store, '--filter', 'tag!=baseline'), [d, b]);
  assert.deepEqual(ids(store, '--sort', 'val_accuracy:desc'), [a, c, d, b]);
  assert.deepEqual(ids(store, '--sort', 'val_accuracy', '--limit', '2'), [b, d]);
  const bad = hone(['ls', '--store', store, '--filter', 'status completed']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--filter: expected an operator .* at character 7/);
  assert.equal(hone(['ls', '--store', store, '--filter', 'tag="open']).code, 2);
  assert.equal(hone(['ls', '--store', store, '--sort', 'val_accuracy:up']).code, 2);
});

test('tag, note and star live in meta.json (run.json untouched) and show in ls, show and --json', () => {
  const { store, made } = generated('notes', [{}]);
  const [id] = made.map((r) => r.id);
  const runJson = join(store, 'runs', id, 'run.json');
  const before = readFileSync(runJson, 'utf8');
  assert.equal(hone(['tag', id, 'keep', 'paper', '--store', store]).code, 0);
  assert.equal(hone(['tag', id, 'paper', '--remove', '--store', store]).code, 0);
  const absent = hone(['tag', id, 'paper', 'keep', '--remove', '--store', store]);
  assert.equal(absent.code, 0, absent.stderr);
  assert.match(absent.stderr, /run \S+ had no tag "paper": nothing to remove/);
  assert.equal(hone(['tag', id, 'keep', '--store', store]).code, 0);
  assert.equal(hone(['note', id, 'lr', 'too', 'high', '--store', store]).code, 0);
  assert.equal(hone(['star', id, '--store', store]).code, 0);
  assert.equal(readFileSync(runJson, 'utf8'), before, 'run.json has one writer: the run');
  assert.deepEqual(readJson(join(store, 'runs', id, 'meta.json')), { tags: ['keep'], note: 'lr too high', starred: true });
  const [v] = JSON.parse(hone(['ls', '--json', '--store', store]).stdout);
  assert.deepEqual([v.tags, v.note, v.starred], [['keep'], 'lr too high', true]);
  assert.match(hone(['show', id, '--store', store]).stdout, /tags {6}"keep"\nstarred {3}★\nnote {6}lr too high/);
  assert.deepEqual(ids(store, '--filter', 'starred=true note~high'), [id]);
  assert.equal(hone(['note', id, '', '--store', store]).code, 0);
  assert.equal(hone(['star', id, '--remove', '--store', store]).code, 0);
  assert.deepEqual(readJson(join(store, 'runs', id, 'meta.json')), { tags: ['keep'] });
  const bad = hone(['tag', id, 'a\u0007b', '--store', store]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected a tag without control characters/);
});

test('rm of several runs, and of a filter only with confirmation (--yes for scripts)', () => {
  const { store, made } = generated('rm', [{ status: 'failed' }, { status: 'failed' }, {}, {}, {}]);
  const [f1, f2, k1, k2, k3] = made.map((r) => r.id);
  const ask = hone(['rm', '--filter', 'status=failed', '--store', store]);
  assert.equal(ask.code, 2);
  assert.match(ask.stderr, /Delete 2 run\(s\) matching the filter .* Not on a terminal: add --yes/);
  assert.equal(ids(store).length, 5, 'nothing removed without confirmation');
  const yes = hone(['rm', '--filter', 'status=failed', '--yes', '--store', store]);
  assert.equal(yes.code, 0, yes.stderr);
  assert.deepEqual(ids(store).sort(), [k1, k2, k3].sort());
  assert.match(yes.stdout, new RegExp(`removed run (${f1}|${f2})`));
  assert.equal(hone(['rm', k1, k2, '--store', store]).code, 0);
  assert.deepEqual(ids(store), [k3]);
});

test('lineage: a parent with children is not deleted silently; --detach keeps them, --with-children deletes them', () => {
  const { store, made } = generated('lineage', [{}, {}]);
  const [p, q] = made.map((r) => r.id);
  const child = (parent: string) => {
    const { record, dir: d } = createRun(store, fakeRun({ name: `child of ${parent.slice(-6)}`, parent }));
    writeRunRecord(d, { ...record, status: 'completed' });
    return record.id;
  };
  const c1 = child(p);
  const c2 = child(q);
  const grandchild = child(c2);
  assert.match(hone(['show', p, '--store', store]).stdout, new RegExp(`children  ${c1} \\(child of`));
  assert.match(hone(['show', c1, '--store', store]).stdout, new RegExp(`parent    ${p} \\(r0, completed\\)`));
  const refused = hone(['rm', p, '--store', store]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, new RegExp(`1 run\\(s\\) were made from the runs to delete: ${c1}.*--with-children \\(or --detach`));
  assert.ok(existsSync(join(store, 'runs', p)));
  assert.equal(hone(['rm', p, '--detach', '--store', store]).code, 0);
  const kept = readJson(join(store, 'runs', c1, 'run.json'));
  assert.equal(kept.parent, undefined, 'no dangling link');
  assert.deepEqual([kept.parentRemoved.id, kept.parentRemoved.name], [p, 'r0']);
  assert.equal(hone(['rm', q, '--with-children', '--store', store]).code, 0);
  assert.deepEqual(ids(store), [c1], 'q, its child and grandchild are gone');
  assert.equal(existsSync(join(store, 'runs', grandchild)), false);
});

test('deleting a trial run marks the sweep; rm --sweep removes the sweep with every run it made', () => {
  const { store, made } = generated('sweeps', [{}, {}]);
  const { id, dir: sdir } = newSweepDir(store);
  made.forEach((r, i) => writeRunRecord(join(store, 'runs', r.id), { ...r, sweep: { id, trial: i } }));
  writeSweepRecord(sdir, {
    id, name: 's', created: new Date().toISOString(), baseDir: dir, raw: {}, epochs: 1, status: 'completed', elapsedMs: 0,
    sweep: { parameters: {}, objectives: [{ metric: 'val_accuracy', direction: 'maximize' }] } as never,
    trials: made.map((r, i) => ({ number: i, params: {}, state: 'completed', values: [0.5], intermediate: {}, epochs: 1, runId: r.id })),
  });
  assert.equal(hone(['rm', made[0].id, '--store', store]).code, 0);
  const rec = readJson(join(sdir, 'sweep.json'));
  assert.deepEqual(rec.trials.map((t: { runDeleted?: boolean }) => Boolean(t.runDeleted)), [true, false]);
  assert.deepEqual(rec.trials[0].values, [0.5], 'its history stays');
  const r = hone(['rm', '--sweep', id.slice(0, 17), '--yes', '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`removed sweep ${id}`));
  assert.deepEqual(ids(store), []);
  assert.equal(existsSync(sdir), false);
});

test('provenance: the command, the git commit of the spec\'s folder with the diff of a dirty tree, the data hash, the machine', () => {
  const repo = join(dir, 'repo');
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  execFileSync('git', ['init', '-q', repo]);
  const spec = writeSpec(repo, 'prov', digitsSpec('prov', { epochs: 1 }));
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'spec');
  writeFileSync(spec, readFileSync(spec, 'utf8').replace('"epochs": 1', '"epochs": 2'));
  writeFileSync(join(repo, 'notes.txt'), 'untracked');
  const store = join(dir, 'prov-store');
  assert.equal(hone(['run', spec, '--store', store]).code, 0);
  const [v] = JSON.parse(hone(['ls', '--json', '--store', store]).stdout);
  const p = v.provenance;
  assert.equal(p.git.commit, git('rev-parse', 'HEAD').trim());
  assert.equal(p.git.dirty, true);
  assert.deepEqual(p.git.untracked, ['notes.txt']);
  assert.equal(readFileSync(join(v.runDir, p.git.diffFile), 'utf8'), git('diff', 'HEAD', '--binary'));
  assert.match(p.command.join(' '), /hone\.js run .*prov\.hone\.json --store/);
  assert.equal(p.machine.cores, cpus().length);
  assert.equal(p.machine.cpu, cpus()[0].model.trim());
  const digits = p.data.files[0];
  assert.equal(digits.sha256, createHash('sha256').update(readFileSync(digits.path)).digest('hex'));
  assert.match(p.data.sha256, /^[0-9a-f]{64}$/);
  assert.equal(v.versions.tfjs, '4.22.0');
  const again = join(dir, 'prov-store2');
  assert.equal(hone(['run', spec, '--store', again]).code, 0);
  assert.equal(JSON.parse(hone(['ls', '--json', '--store', again]).stdout)[0].provenance.data.sha256, p.data.sha256, 'same data, same hash');
  assert.match(hone(['show', v.id, '--store', store]).stdout, /code {5}git [0-9a-f]{12} .*dirty: diff saved as git\.diff, 1 untracked file/);
  assert.equal(readdirSync(v.runDir).includes('git.diff'), true);
});

test('hone compare: differing spec fields and metrics side by side, best of each row marked by direction', () => {
  const store = join(dir, 'cmp');
  for (const lr of ['0.001', '0.05']) assert.equal(hone(['run', writeSpec(dir, 'cmp', digitsSpec('cmp', { epochs: 2 })), '--store', store, '--set', `train.lr=${lr}`]).code, 0);
  const [x, y] = ids(store);
  const r = hone(['compare', x, y, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train\.lr\s+0\.05\s+0\.001\n/, 'spec values as written, not rounded to 4 digits');
  assert.match(r.stdout.split('\n')[0], new RegExp(`^ +cmp \\[train\\.lr=0\\.05\\] \\(${x}\\) +cmp \\[train\\.lr=0\\.001\\] \\(${y}\\)$`), 'whole ids, which resolve');
  const row = (m: string) => r.stdout.split('\n').find((l) => l.startsWith(`${m} `))!;
  const vals = JSON.parse(hone(['ls', '--json', '--store', store]).stdout).map((v: { metrics: Record<string, number> }) => v.metrics);
  const bestLoss = vals[0].val_loss < vals[1].val_loss ? 0 : 1;
  assert.match(row('val_loss'), bestLoss === 0 ? /^val_loss \(min\)\s+\S+ \*\s+\S+$/ : /^val_loss \(min\)\s+\S+\s+\S+ \*$/);
  assert.equal(hone(['compare', x, '--store', store]).code, 2);
  const j = JSON.parse(hone(['compare', x, y, '--json', '--store', store]).stdout);
  assert.deepEqual(j.spec.map((d: { path: string }) => d.path), ['train.lr']);
});
