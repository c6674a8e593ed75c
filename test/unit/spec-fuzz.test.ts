// Property-based fuzzing of spec loading (issue 9). Specs are made by mutating the repository's examples
// and the validator's fixtures: values replaced by random JSON (huge, negative, fractional numbers, 1e309
// written as text, strings, arrays, objects, null), keys deleted, renamed, added or written twice, values
// nested deep. Every spec text either loads without problems and trains one step, or yields problems
// that are bounded and point at paths that exist in the document; loading never throws. A sample of the
// specs then goes through the real CLI. Seeded (FUZZ_SEED overrides the seed, FUZZ_RUNS the count).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { formatProblem, loadSpecFile, parsePath, SPEC_SCHEMA, type PathKey, type Spec, type SpecProblem } from '../../src/core/spec';
import { modelCost } from '../../src/core/spec/model-cost';
import { inputShapeOf } from '../../src/core/spec/shape';
import { loadDataset, takeRows, type Dataset, type Part } from '../../src/engine/data';
import { buildModel } from '../../src/engine/models';
import { train } from '../../src/engine/train';
import { useCpu } from '../helpers/engine';
import { ROOT } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { writeTinyMnist } from '../helpers/tiny-mnist';
import { BASE_DIR, MALFORMED, VALID } from '../fixtures/malformed-specs';

const SEED = Number(process.env.FUZZ_SEED ?? 20240909);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const CLI_SAMPLE = 20;
/** The longest line a problem may print as (bound.ts's limits on its three parts, and the words around them). */
const MAX_LINE = 1300;

// ---- documents that can say what no object serialises to -------------------------------------------

/** Text written as is: `1e309`, or a value wrapped in many brackets. */
class Raw {
  constructor(readonly text: string) {}
}
/** An object as a list of entries, so a key can appear twice. */
class Entries {
  constructor(readonly list: [string, Doc][]) {}
}
type Doc = null | boolean | number | string | Raw | Entries | Doc[];

const toDoc = (v: unknown): Doc =>
  Array.isArray(v) ? v.map(toDoc) : v !== null && typeof v === 'object' ? new Entries(Object.entries(v).map(([k, x]) => [k, toDoc(x)])) : (v as Doc);

function render(d: Doc): string {
  if (d instanceof Raw) return d.text;
  if (d instanceof Entries) return `{${d.list.map(([k, v]) => `${JSON.stringify(k)}: ${render(v)}`).join(', ')}}`;
  if (Array.isArray(d)) return `[${d.map(render).join(', ')}]`;
  return JSON.stringify(d);
}

/** Every place a value sits, with how to change it there. */
interface Slot {
  value: Doc;
  set(v: Doc): void;
  remove?(): void;
  rename?(key: string): void;
}

function slots(root: { doc: Doc }): Slot[] {
  const out: Slot[] = [];
  const visit = (value: Doc, slot: Slot): void => {
    out.push(slot);
    if (value instanceof Entries) {
      value.list.forEach((entry) => visit(entry[1], {
        value: entry[1],
        set: (v) => (entry[1] = v),
        remove: () => value.list.splice(value.list.indexOf(entry), 1),
        rename: (key) => (entry[0] = key),
      }));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, { value: item, set: (v) => (value[i] = v), remove: () => value.splice(i, 1) }));
    }
  };
  visit(root.doc, { value: root.doc, set: (v) => (root.doc = v) });
  return out;
}

interface Mutation {
  kind: 'scale' | 'tweak' | 'replace' | 'remove' | 'rename' | 'add' | 'duplicate' | 'nest';
  pick: number;
  key: string;
  value: Doc;
  /** What `tweak` puts in place of a number, a string or a boolean: a value of the same kind. */
  scalar: { number: number; word: string };
  /** What `scale` multiplies a number by (an integer stays one), so values stay near the plausible. */
  factor: number;
  depth: number;
}

function mutate(root: { doc: Doc }, m: Mutation): void {
  const all = slots(root);
  const pick = (of: Slot[]): Slot | undefined => of[m.pick % of.length];
  const slot = pick(all)!;
  const obj = pick(all.filter((s) => s.value instanceof Entries))?.value as Entries | undefined;
  switch (m.kind) {
    case 'scale': {
      const at = pick(all.filter((s) => typeof s.value === 'number'));
      const v = at?.value as number;
      return at?.set(Number.isInteger(v) ? Math.round(v * m.factor) : v * m.factor);
    }
    case 'tweak': {
      const at = pick(all.filter((s) => ['number', 'string', 'boolean'].includes(typeof s.value)));
      const v = at?.value;
      return at?.set(typeof v === 'number' ? m.scalar.number : typeof v === 'string' ? m.scalar.word : !v);
    }
    case 'replace':
      return slot.set(m.value);
    case 'remove':
      return slot.remove ? void slot.remove() : slot.set(m.value);
    case 'rename':
      return slot.rename ? slot.rename(m.key) : slot.set(m.value);
    case 'add':
      return void obj?.list.push([m.key, m.value]);
    case 'duplicate': {
      const entry = obj?.list[m.pick % Math.max(1, obj.list.length)];
      return void (entry && obj!.list.push([entry[0], m.value]));
    }
    case 'nest':
      return slot.set(new Raw('['.repeat(m.depth) + render(slot.value) + ']'.repeat(m.depth)));
  }
}

// ---- generators ---------------------------------------------------------------------------------------

/** Property names the schema knows, so renames and additions often hit a real field. */
const SCHEMA_KEYS: string[] = (() => {
  const keys = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === 'properties') Object.keys(v as object).forEach((p) => keys.add(p));
        walk(v);
      }
    }
  };
  walk(SPEC_SCHEMA);
  return [...keys];
})();

const WORDS = ['adam', 'sgd', 'relu', 'tanh', 'val_loss', 'val_accuracy', 'loss', 'mse', 'digits', 'regression', 'classification', 'csv', 'mnist',
  'mlp', 'cnn', 'linear', 'layers', 'dense', 'conv2d', 'flatten', 'grid', 'tpe', 'random', 'asha', 'float', 'int', 'categorical', 'train.lr',
  'model.layers[0]', 'train.epochs', 'xy.csv', 'bad-cells.csv', '.', 'y', 'x1', 'standard', 'none', 'cpu', 'auto', ''];

const key = fc.oneof(fc.constantFrom(...SCHEMA_KEYS), fc.string({ maxLength: 12 }));
const number = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 130 }) },
  fc.constantFrom(0, 1, 2, 3, 8, 32, 0.5, 0.1, 0.001, 1000, 1001, 65536, 65537, 100000, 100001, 4294967295, 4294967296, 1e7, 1e9, 1e300, -1, -0.5, 2 ** 53),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const raw = fc.constantFrom('1e309', '-1e309', '1e400', '-0', '1E+2', '0.1e-400', '123456789012345678901234567890').map((t) => new Raw(t));
const json: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    number,
    raw,
    fc.constantFrom(...WORDS),
    fc.string({ maxLength: 16 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('doc')), { maxLength: 4 }).map((list) => new Entries(list)),
  ),
})).doc;

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('scale', 'scale', 'scale', 'tweak', 'tweak', 'tweak', 'replace', 'replace', 'remove', 'rename', 'add', 'duplicate', 'nest'),
  pick: fc.nat(),
  key,
  value: json,
  scalar: fc.record({ number, word: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 })) }),
  factor: fc.constantFrom(-1, 0, 0.5, 0.9, 2, 3, 10, 1000),
  depth: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 60, max: 70 }), fc.integer({ min: 1000, max: 5000 })),
});

// ---- the property ---------------------------------------------------------------------------------------

interface Base { name: string; spec: unknown; baseDir: string }

let dir: string;
let mnistDir: string;
let bases: Base[];
const samples: { text: string; base: Base; spec?: Spec }[] = [];
const stats = { valid: 0, invalid: 0, slowestLoadMs: 0 };

before(async () => {
  dir = makeTmpDir('hone-fuzz-');
  mnistDir = writeTinyMnist(join(dir, 'mnist'));
  const examples = join(ROOT, 'examples');
  bases = [
    ...readdirSync(examples).filter((f) => f.endsWith('.hone.json')).map((f) => {
      const spec = JSON.parse(readFileSync(join(examples, f), 'utf8'));
      // The real MNIST is not in the repository: the tiny one stands in, so validity never depends on the machine.
      if (spec.data.source === 'mnist') spec.data.path = mnistDir;
      return { name: f, spec, baseDir: examples };
    }),
    ...VALID.map((c) => ({ name: `valid: ${c.name}`, spec: c.spec, baseDir: BASE_DIR })),
    ...MALFORMED.filter((c) => c.text === undefined).map((c) => ({ name: `malformed: ${c.name}`, spec: c.spec, baseDir: BASE_DIR })),
  ];
  await useCpu();
});
after(() => removeTmpDir(dir));

/** Whether `keys` lead to a value in `doc`; under a key written twice, through either occurrence. */
function has(doc: Doc, keys: PathKey[]): boolean {
  if (keys.length === 0) return true;
  const [k, ...rest] = keys;
  if (doc instanceof Raw) return hasPlain(JSON.parse(doc.text), keys);
  if (doc instanceof Entries) return doc.list.some(([name, v]) => name === k && has(v, rest));
  return Array.isArray(doc) && typeof k === 'number' && k < doc.length && has(doc[k], rest);
}

/** `has` in a value from JSON.parse, without recursion (a raw value may be thousands of levels deep). */
function hasPlain(value: unknown, keys: PathKey[]): boolean {
  let at = value;
  for (const k of keys) {
    const ok = typeof k === 'number' ? Array.isArray(at) && k < at.length : at !== null && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, k);
    if (!ok) return false;
    at = (at as Record<string | number, unknown>)[k];
  }
  return true;
}

function checkProblems(problems: SpecProblem[], doc: Doc): void {
  assert.ok(problems.length <= 51, `${problems.length} problems`);
  const isObject = doc instanceof Entries;
  for (const p of problems) {
    const line = formatProblem(p);
    assert.ok(line.length <= MAX_LINE, `a line of ${line.length} characters: ${line.slice(0, 200)}...`);
    assert.ok(p.expected !== '' && p.found !== '', line);
    assert.doesNotMatch(line, /[\u0000-\u001f]/, 'control characters are escaped');
    if (p.kind === 'omitted') continue;
    if (p.path === '') {
      // The root: a syntax error, a root that is not an object, or one that is too big.
      assert.ok(!isObject || /^valid JSON|^at most \d+ properties|^a spec file of/.test(p.expected), `a root problem: ${line}`);
      continue;
    }
    const keys = parsePath(p.path);
    assert.ok(keys, `an unreadable path: ${line}`);
    assert.ok(has(doc, keys) || has(doc, keys.slice(0, -1)), `a path not in the document: ${line}`);
  }
}

/** The first `n` rows of a part. */
const head = (p: Part, n: number): Part => (p.n <= n ? p : takeRows(p, Uint32Array.from({ length: n }, (_, i) => i), p.x.length / p.n));

/** One epoch on a few rows, in this process on the cpu backend. Only the data's size is capped, after validation decided. */
async function trainOneStep(spec: Spec, baseDir: string): Promise<void> {
  const data = spec.data.source === 'regression' || spec.data.source === 'classification' ? { ...spec.data, samples: Math.min(spec.data.samples, 64) } : spec.data;
  const ds = loadDataset(data, spec.seed, baseDir);
  const small: Dataset = { ...ds, train: head(ds.train, 8), val: head(ds.val, 4), test: head(ds.test, 4) };
  const model = buildModel(spec.model, small, spec.seed, spec.train.dropout);
  try {
    const r = await train(model, small, { ...spec.train, epochs: 1 }, spec.seed, { onEpoch: () => {}, shouldStop: () => false });
    assert.ok(r.status === 'completed' || r.status === 'diverged', r.message);
  } finally {
    model.dispose();
  }
}

test(`fuzz: ${RUNS} mutated specs either train a step or yield bounded problems at real paths (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const t0 = performance.now();
  const file = join(dir, 'fuzz.hone.json');
  // Three in four specs start from a valid one (examples, valid fixtures), so many stay valid and train.
  const valid = bases.findIndex((b) => b.name.startsWith('malformed: '));
  const which = fc.oneof({ weight: 3, arbitrary: fc.nat().map((n) => n % valid) }, { weight: 1, arbitrary: fc.nat() });
  const property = fc.asyncProperty(which, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, mutations) => {
    const base = bases[i % bases.length];
    const root = { doc: toDoc(structuredClone(base.spec)) };
    for (const m of mutations) mutate(root, m);
    const text = render(root.doc);
    writeFileSync(file, text);
    const started = performance.now();
    const { spec, problems } = loadSpecFile(file, [], base.baseDir);
    stats.slowestLoadMs = Math.max(stats.slowestLoadMs, performance.now() - started);
    if (problems.length === 0) {
      assert.ok(spec);
      await trainOneStep(spec, base.baseDir);
      stats.valid++;
    } else {
      checkProblems(problems, root.doc);
      stats.invalid++;
    }
    samples.push({ text, base, spec });
  });
  await fc.assert(property, { seed: SEED, numRuns: RUNS, includeErrorInReport: true });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  t.diagnostic(`seed ${SEED}: ${RUNS} specs from ${bases.length} bases, ${stats.valid} trained a step, ${stats.invalid} rejected; slowest load ${stats.slowestLoadMs.toFixed(0)} ms; ${s} s`);
  assert.ok(stats.valid >= RUNS / 20, `only ${stats.valid} valid specs: the mutations no longer reach training`);
});

// ---- a sample through the CLI ----------------------------------------------------------------------------

/** A valid spec quick enough to train one epoch through the CLI: small generated data, batches not tiny, a small model. */
function quick(spec: Spec): boolean {
  const { data, model, train: t } = spec;
  if ((data.source === 'regression' || data.source === 'classification') && data.samples > 5000) return false;
  if (t.batchSize !== 0 && t.batchSize < 16) return false;
  const input = inputShapeOf(data) ?? [2];
  return (modelCost(model, input, 10)?.params ?? Infinity) <= 1e6;
}

/** A folder with links to every file of `from`, so relative data paths of a spec written there mean the same. */
function mirror(from: string, to: string): string {
  if (existsSync(to)) return to;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) symlinkSync(join(from, f), join(to, f));
  return to;
}

test(`fuzz: a sample of ${CLI_SAMPLE} generated specs through hone run`, { timeout: 120_000 }, (t) => {
  assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'build first: node scripts/build.mjs');
  const valid = samples.filter((s) => s.spec && quick(s.spec));
  const invalid = samples.filter((s) => !s.spec);
  const every = <T>(xs: T[], n: number): T[] => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
  const chosen = [...every(valid, 6), ...every(invalid, CLI_SAMPLE - Math.min(6, valid.length))];
  const codes: Record<string, number> = {};
  chosen.forEach((s, i) => {
    const where = mirror(s.base.baseDir, join(dir, 'mirror', s.base.baseDir === BASE_DIR ? 'fixtures' : 'examples'));
    const file = join(where, `fuzz-${i}.hone.json`);
    const store = join(dir, `store-${i}`);
    writeFileSync(file, s.text);
    // Valid specs train one epoch (a federated one, one round: it refuses train.epochs): the override is
    // validated like the file, and keeps the sample quick.
    const args = [join(ROOT, 'bin/hone.js'), 'run', file, '--store', store, ...(s.spec ? ['--set', s.spec.federated ? 'federated.rounds=1' : 'train.epochs=1'] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    const what = `${s.base.name}: ${s.text.slice(0, 300)}\nexit ${r.status}\n${r.stderr}`;
    codes[String(r.status)] = (codes[String(r.status)] ?? 0) + 1;
    assert.doesNotMatch(r.stderr, /\n\s+at /, `a stack trace: ${what}`);
    if (s.spec) {
      assert.ok(r.status === 0 || r.status === 1, what);
      const runs = readdirSync(join(store, 'runs'));
      assert.equal(runs.length, 1, what);
      assert.ok(JSON.parse(readFileSync(join(store, 'runs', runs[0], 'run.json'), 'utf8')).status, what);
    } else {
      assert.equal(r.status, 2, what);
      const lines = r.stderr.trimEnd().split('\n');
      for (const line of lines) {
        const rest = line.replace(/^hone: /, '');
        assert.ok(rest.startsWith(`${file}: `), `a line without the file: ${line.slice(0, 300)}\n${what}`);
        assert.match(rest.slice(file.length + 2), /^(.+: expected .+, found .+|\.\.\. and \d+ more problems)$/, `not a problem line: ${line.slice(0, 300)}\n${what}`);
      }
      assert.ok(!existsSync(join(store, 'runs')), `a run was stored for bad input: ${what}`);
    }
  });
  t.diagnostic(`CLI: ${chosen.length} specs (${chosen.filter((s) => s.spec).length} valid), exit codes ${JSON.stringify(codes)}`);
});
