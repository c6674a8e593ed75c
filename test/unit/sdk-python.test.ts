// The Python module (sdk/python/hone.py) on its own: real python3 runs of small scripts with the variables
// `hone exec` sets, reading the protocol lines they append. How `--set` values reach the script's own
// parameters, what is recorded, and that no bad value raises. Through `hone exec` end to end: cli-exec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { ROOT } from '../helpers/cli';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

/** Runs `code` with hone.py importable, as under `hone exec --set ...` (`sets`), or outside Hone (`sets` undefined). */
function python(code: string, sets?: Record<string, unknown>) {
  const file = join(dir, 'protocol.jsonl');
  rmSync(file, { force: true });
  const env = { ...process.env, PYTHONPATH: join(ROOT, 'sdk/python'), HONE_METRICS_FILE: sets ? file : '', HONE_PARAMS: JSON.stringify(sets ?? {}) };
  const r = spawnSync('python3', ['-c', `import hone, json\n${code}`], { cwd: dir, encoding: 'utf8', env });
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

const ARGPARSE = `
import argparse
p = argparse.ArgumentParser()
p.add_argument("--batch-size", type=int, default=32)
p.add_argument("--lr", type=float, default=0.01)
p.add_argument("--aug", action="store_true")
`;

test('--set names as a shell user spells them: argparse dashes, dotted paths into nested dicts; names the script lacks warned about and not applied', () => {
  const r = python(`${ARGPARSE}
params = hone.init(p.parse_args([]), model={"layers": 2, "act": "relu"})
print(json.dumps(params, sort_keys=True))`, { 'batch-size': 64, 'model.layers': 3, epochs: 5 });
  assert.equal(r.code, 0, r.stderr);
  const used = { aug: false, batch_size: 64, lr: 0.01, model: { act: 'relu', layers: 3 } };
  assert.deepEqual(JSON.parse(r.stdout), used, 'batch-size sets batch_size, model.layers sets model["layers"], epochs is not added');
  assert.deepEqual(r.lines, [{ params: used, unused: ['batch-size', 'model.layers', 'epochs'] }], 'Hone is told which --set names are not params as given');
  assert.equal(r.stderr, "hone: --set epochs=5: the script has no parameter 'epochs', so it is not applied (it has: aug, batch_size, lr, model)\n");
});

test('--set values in Python spellings become the type of the script\'s default; one that does not read as it is kept, with a warning', () => {
  const r = python(`
params = hone.init({"lr": 0.01, "wd": 0.0, "epochs": 10, "steps": 100, "aug": False, "name": "x", "depth": 3})
print(json.dumps(params, sort_keys=True))`, { lr: '.001', wd: '1.', epochs: '+1', steps: '1e3', aug: 'True', name: 'y', depth: 'deep' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { lr: 0.001, wd: 1, epochs: 1, steps: 1000, aug: true, name: 'y', depth: 'deep' });
  assert.deepEqual(r.lines[0].unused, undefined, 'every name is the script\'s own');
  assert.equal(r.stderr, "hone: --set depth=deep: expected a whole number, like the script's default depth = 3; passed on as given\n");
  // A number where the script has a float is a float; 1 where it has a bool is True.
  const n = python('print(repr(hone.init({"lr": 0.5, "aug": False})))', { lr: 1, aug: 1 });
  assert.equal(n.stdout, "{'lr': 1.0, 'aug': True}\n");
});

test('init takes any mapping by its items, and keeps a value whose .item() raises (a tensor of several elements) as text', () => {
  const r = python(`
import collections
class Tensor:
    def item(self): raise RuntimeError("a Tensor with 2 elements cannot be converted to Scalar")
    def __str__(self): return "tensor([1., 2.])"
params = hone.init(collections.UserDict({"lr": 0.1, "w": Tensor()}))
print(sorted(params))`, { lr: 0.2 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "['lr', 'w']\n");
  assert.deepEqual(r.lines, [{ params: { lr: 0.2, w: 'tensor([1., 2.])' } }]);
});

test('log: a value that is not a number is left out, a bad step or epoch too, each warned about once; the script goes on', () => {
  const r = python(`
for i in range(3):
    hone.log(i, loss=None, note="n/a", acc=0.5)
hone.log(float("nan"), acc=0.6)
hone.log(-1, acc=0.7, epoch=2.5)
hone.log(3, loss=None)
hone.log(4, 0.5)
hone.log(5)
hone.log(6, {})
print("done")`, {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'done\n');
  assert.deepEqual(r.lines, [
    { step: 0, metrics: { acc: 0.5 } }, { step: 1, metrics: { acc: 0.5 } }, { step: 2, metrics: { acc: 0.5 } },
    { metrics: { acc: 0.6 } }, { metrics: { acc: 0.7 } },
  ], 'a line left with no metric is not written, nor one given none');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'hone.log: loss=None is not a number; left out (warned once per metric)',
    "hone.log: note='n/a' is not a number; left out (warned once per metric)",
    'hone.log: step=nan is not a whole number >= 0; left out (warned once)',
    'hone.log: epoch=2.5 is not a whole number >= 0; left out (warned once)',
    'hone.log: metrics should be a dict of name: number, not 0.5; left out',
    'hone.log: no metrics given; nothing recorded (warned once)',
  ]);
});

test('outside hone exec nothing raises, whatever the values: one notice, nothing written', () => {
  const r = python('hone.log(1, loss=None, note="n/a")\nhone.log(step=float("nan"))\nhone.log(-1, acc=1)\nprint(hone.init({"a": 1}))\nhone.save(None)');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "{'a': 1}\n");
  assert.equal(r.stderr, 'hone: not running under `hone exec`; parameters and metrics are not recorded\n');
  assert.deepEqual(r.lines, []);
});
