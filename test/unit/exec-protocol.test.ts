// The exec line protocol (docs/exec-protocol.md) as pure functions: parsing, line splitting across reads,
// the tracker's metrics lines and final/best, how a command's end becomes a status, --set parsing, default
// names and artifact copies with their caps. The supervisor around them is tested end to end in cli-exec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import {
  copyArtifacts, defaultName, execOutcome, ExecTracker, LineSplitter, MAX_LINE_BYTES, parseProtocolLine, parseSets, ProtocolTail, quoteNonFinite, type ProtocolLine,
} from '../../src/core/exec';
import { InputError } from '../../src/core/errors';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('protocol lines: params, metrics with step and epoch, artifacts, and several keys on one line', () => {
  assert.deepEqual(parseProtocolLine('{"params": {"lr": 0.1, "layers": [64, 32], "opt": "adam"}}'), { params: { lr: 0.1, layers: [64, 32], opt: 'adam' } });
  assert.deepEqual(parseProtocolLine('{"step": 3, "metrics": {"loss": 0.2, "val_accuracy": 0.9}}'), { metrics: { values: { loss: 0.2, val_accuracy: 0.9 }, step: 3 } });
  assert.deepEqual(parseProtocolLine('{"epoch": 2, "metrics": {"loss": 1}}'), { metrics: { values: { loss: 1 }, epoch: 2 } });
  assert.deepEqual(parseProtocolLine('{"artifact": "out/model.pt"}'), { artifact: 'out/model.pt' });
  assert.deepEqual(parseProtocolLine('{"params": {"a": 1}, "step": 0, "metrics": {"x": 2}, "artifact": "f"}'), {
    params: { a: 1 }, metrics: { values: { x: 2 }, step: 0 }, artifact: 'f',
  });
});

test('non-finite metrics: Hone\'s strings, and the bare spellings of Python, C, awk and R', () => {
  const values = (text: string) => (parseProtocolLine(text) as { metrics: { values: Record<string, number> } }).metrics.values;
  assert.deepEqual(values('{"metrics": {"a": "NaN", "b": "Infinity", "c": "-Infinity"}}'), { a: NaN, b: Infinity, c: -Infinity });
  assert.deepEqual(values('{"metrics": {"a": NaN, "b": Infinity, "c": -Infinity}}'), { a: NaN, b: Infinity, c: -Infinity });
  assert.deepEqual(values('{"metrics": {"a": nan, "b": inf, "c": -inf, "d": Inf, "e": -Inf}}'), { a: NaN, b: Infinity, c: -Infinity, d: Infinity, e: -Infinity });
  // gawk's +inf and +nan, Go's +Inf: the plus sign is dropped.
  assert.deepEqual(values('{"metrics": {"a": +inf, "b": +nan, "c": +Inf, "d": -nan, "e": +Infinity}}'), { a: Infinity, b: NaN, c: Infinity, d: NaN, e: Infinity });
  // Inside strings the words stay as they are.
  assert.equal(quoteNonFinite('{"params": {"name": "NaN inf \\"Infinity\\""}, "metrics": {"x": NaN}}'), '{"params": {"name": "NaN inf \\"Infinity\\""}, "metrics": {"x": "NaN"}}');
  assert.deepEqual(parseProtocolLine('{"params": {"note": "inf"}}'), { params: { note: 'inf' } });
});

test('malformed lines say why and are never thrown', () => {
  const problem = (text: string) => (parseProtocolLine(text) as { problem?: string }).problem;
  assert.equal(problem('{"step": 3, "met'), 'not valid JSON');
  assert.equal(problem('garbage'), 'not valid JSON');
  assert.equal(problem('[1, 2]'), 'not a JSON object');
  assert.equal(problem('{"hello": 1}'), "no 'params', 'unused', 'metrics' or 'artifact'");
  assert.equal(problem('{"params": {}, "unused": "lr"}'), "'unused' should be a list of names");
  assert.equal(problem('{"metrics": {"loss": "0.5"}}'), "metric 'loss' is not a number");
  assert.equal(problem('{"metrics": [1]}'), "'metrics' should be an object");
  assert.equal(problem('{"params": 3}'), "'params' should be an object");
  assert.equal(problem('{"step": 1.5, "metrics": {"x": 1}}'), "'step' should be a whole number >= 0");
  assert.equal(problem('{"epoch": -1, "metrics": {"x": 1}}'), "'epoch' should be a whole number >= 0");
  assert.equal(problem('{"artifact": ""}'), "'artifact' should be a path");
});

test('an empty metrics object makes no row: alone it is malformed, beside other keys they are read; epochs are not shifted', () => {
  assert.deepEqual(parseProtocolLine('{"step": 3, "metrics": {}}'), { problem: "'metrics' is empty" });
  assert.deepEqual(parseProtocolLine('{"params": {"lr": 0.1}, "metrics": {}}'), { params: { lr: 0.1 } });
  const t = new ExecTracker();
  const rows = ['{"step": 0, "metrics": {"loss": 1}}', '{"params": {"lr": 0.1}, "metrics": {}}', '{"step": 2, "metrics": {"loss": 0.5}}']
    .map((text) => t.apply(parseProtocolLine(text) as ProtocolLine, 0));
  assert.deepEqual(rows.map((r) => r && [r.epoch, r.step, r.metrics]), [[1, 0, { loss: 1 }], undefined, [2, 2, { loss: 0.5 }]]);
  assert.deepEqual([t.epochsDone, t.latest, { ...t.params }], [2, { loss: 0.5 }, { lr: 0.1 }]);
});

test('line splitting: a line torn across reads is read whole, a multi-byte character split between reads too', () => {
  const s = new LineSplitter();
  const bytes = Buffer.from('{"a": "é"}\n{"b": 1}\n{"c"');
  const cut = bytes.indexOf(0xa9); // the second byte of é
  assert.deepEqual(s.push(bytes.subarray(0, cut)), []);
  assert.deepEqual(s.push(bytes.subarray(cut)), ['{"a": "é"}', '{"b": 1}']);
  assert.deepEqual(s.push(Buffer.from(': 2}\r\n\n   \n')), ['{"c": 2}'], 'CRLF ends a line; blank lines are not lines');
  assert.deepEqual(s.push(Buffer.from('{"torn"')), []);
  assert.deepEqual(s.push(Buffer.alloc(0), true), ['{"torn"'], 'at the end, the rest is a last line');
});

test('line splitting: a line longer than the limit is dropped up to its newline and counted once', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(Buffer.alloc(MAX_LINE_BYTES + 1, 'x')), []);
  assert.equal(s.overlong, 1);
  assert.deepEqual(s.push(Buffer.from('xxxx')), [], 'still the overlong line');
  assert.deepEqual(s.push(Buffer.from('xxxx\n{"ok": 1}\n')), ['{"ok": 1}']);
  assert.equal(s.overlong, 1);
});

test('line splitting: the limit holds however a line was read: whole in one read, or as the last line', () => {
  const s = new LineSplitter();
  const atLimit = `{"params": {"p": "${'x'.repeat(MAX_LINE_BYTES - 21)}"}}`;
  assert.equal(Buffer.byteLength(atLimit), MAX_LINE_BYTES);
  const over = `{"params": {"p": "${'x'.repeat(MAX_LINE_BYTES - 20)}"}}`;
  assert.deepEqual(s.push(Buffer.from(`${over}\n${atLimit}\n{"ok": 1}\n`)), [atLimit, '{"ok": 1}'], 'a whole line over the limit is dropped; one at it is kept');
  assert.equal(s.overlong, 1);
  assert.deepEqual(s.push(Buffer.from(over.slice(0, 100))), []);
  assert.deepEqual(s.push(Buffer.from(over.slice(100)), true), [], 'a last line without its newline too');
  assert.equal(s.overlong, 2);
});

test('tail: reads a growing file line by line, warns about the first malformed lines and counts them all', () => {
  const file = join(dir, 'protocol.jsonl');
  const warnings: string[] = [];
  const tail = new ProtocolTail(file, (w) => warnings.push(w));
  assert.deepEqual(tail.read(), [], 'no file yet');
  appendFileSync(file, '{"metrics": {"a": 1}}\n{"metr');
  assert.deepEqual(tail.read(), [{ metrics: { values: { a: 1 } } }]);
  appendFileSync(file, 'ics": {"a": 2}}\n' + 'junk\n'.repeat(25) + '{"params": {"p": 1}}');
  assert.deepEqual(tail.read(), [{ metrics: { values: { a: 2 } } }]);
  assert.deepEqual(tail.read(true), [{ params: { p: 1 } }]);
  assert.equal(tail.skipped, 25);
  assert.equal(warnings.length, 20);
  assert.equal(warnings[0], 'protocol: skipped a line (not valid JSON): junk');
});

test('tail: a file rewritten rather than appended to is read again from its start, warned about once and counted', () => {
  const file = join(dir, 'rewritten.jsonl');
  const warnings: string[] = [];
  const tail = new ProtocolTail(file, (w) => warnings.push(w));
  const line = (step: number, loss: number) => `{"step": ${step}, "metrics": {"loss": ${loss}}}\n`;
  const metric = (step: number, loss: number) => ({ metrics: { values: { loss }, step } });
  // Opened in mode 'w' at each write: one shorter line (the offset is past the end), one longer (the old
  // offset falls in its middle), one as long, then the file deleted and made anew.
  writeFileSync(file, line(10, 0.25) + line(20, 0.125));
  assert.deepEqual(tail.read(), [metric(10, 0.25), metric(20, 0.125)]);
  writeFileSync(file, line(30, 0.5));
  assert.deepEqual(tail.read(), [metric(30, 0.5)], 'a shorter file');
  writeFileSync(file, line(40, 0.0625) + line(50, 0.03125));
  assert.deepEqual(tail.read(), [metric(40, 0.0625), metric(50, 0.03125)], 'a longer one, not read from the middle of a line');
  writeFileSync(file, line(60, 0.0625) + line(70, 0.03125));
  assert.deepEqual(tail.read(), [metric(60, 0.0625), metric(70, 0.03125)], 'one as long');
  rmSync(file);
  assert.deepEqual(tail.read(), []);
  appendFileSync(file, line(80, 1));
  assert.deepEqual(tail.read(true), [metric(80, 1)], 'made anew');
  assert.equal(tail.rewrites, 4);
  assert.equal(tail.skipped, 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^protocol: the file was rewritten, not appended to \(open it in append mode/);
  // The whole history written again, longer: what was read stays in place and is not read twice.
  const again = new ProtocolTail(file, (w) => warnings.push(w));
  assert.deepEqual(again.read(), [metric(80, 1)]);
  writeFileSync(file, line(80, 1) + line(90, 2));
  assert.deepEqual(again.read(), [metric(90, 2)]);
  assert.equal(again.rewrites, 0);
});

test('tail: a line of 128 MiB without a newline is read in pieces, counted as one malformed line, and never held whole', () => {
  // In a fresh process, so that its peak resident memory (maxRSS) measures this read alone. Reading all
  // that was appended at once held the whole 128 MiB (768 MiB gave a 370 MB peak in the supervisor).
  const file = join(dir, 'overlong.jsonl');
  const code = `
    const { openSync, writeSync, closeSync } = require('node:fs');
    const { ProtocolTail } = require('./src/core/exec');
    const fd = openSync(${JSON.stringify(file)}, 'w');
    const piece = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < 128; i++) writeSync(fd, piece);
    writeSync(fd, '\\n{"step": 1, "metrics": {"loss": 0.5}}\\n');
    closeSync(fd);
    const warnings = [];
    const tail = new ProtocolTail(${JSON.stringify(file)}, (w) => warnings.push(w));
    const before = process.resourceUsage().maxRSS;
    const lines = tail.read(true);
    const grewMiB = (process.resourceUsage().maxRSS - before) / 1024;
    console.log(JSON.stringify({ lines, skipped: tail.skipped, warnings, grewMiB }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { lines: ProtocolLine[]; skipped: number; warnings: string[]; grewMiB: number };
  rmSync(file);
  assert.deepEqual(got.lines, [{ metrics: { values: { loss: 0.5 }, step: 1 } }], 'the line after it is read');
  assert.equal(got.skipped, 1);
  assert.deepEqual(got.warnings, [`protocol: skipped 1 line(s) longer than ${MAX_LINE_BYTES} bytes`]);
  assert.ok(got.grewMiB < 48, `peak memory grew by ${got.grewMiB.toFixed(0)} MiB while reading`);
});

test('tracker: epochs count metric lines unless given, step defaults to the epoch, lr from a metric named lr', () => {
  const t = new ExecTracker();
  t.params = { batch: 32 };
  assert.equal(t.apply({ params: { lr: 0.1, batch: 64 } }, 0), undefined);
  assert.deepEqual(t.params, { batch: 64, lr: 0.1 }, 'the command\'s params win over --set');
  assert.deepEqual(t.apply({ metrics: { values: { loss: 0.9, val_accuracy: 0.5, lr: 0.1 }, step: 10 } }, 1.2345),
    { epoch: 1, step: 10, time: 1.235, lr: 0.1, metrics: { loss: 0.9, val_accuracy: 0.5, lr: 0.1 }, tensors: 0 });
  assert.deepEqual(t.apply({ metrics: { values: { loss: 0.4, val_accuracy: 0.8 } } }, 2), { epoch: 2, step: 2, time: 2, lr: NaN, metrics: { loss: 0.4, val_accuracy: 0.8 }, tensors: 0 },
    'no learning rate reported: NaN, not an invented 0');
  assert.deepEqual(t.apply({ metrics: { values: { loss: 0.6, val_accuracy: 0.7, 'train/lr': 0.05 }, epoch: 7, step: 70 } }, 3),
    { epoch: 7, step: 70, time: 3, lr: 0.05, metrics: { loss: 0.6, val_accuracy: 0.7, 'train/lr': 0.05 }, tensors: 0 });
  t.apply({ metrics: { values: { loss: NaN, test_accuracy: 0.75 } } }, 4);
  assert.equal(t.count, 4);
  assert.equal(t.epochsDone, 7, 'the highest epoch');
  assert.deepEqual(t.latest, { loss: NaN, test_accuracy: 0.75 });
  assert.deepEqual({ ...t.final }, { loss: NaN, val_accuracy: 0.7, lr: 0.1, 'train/lr': 0.05, test_accuracy: 0.75 });
  // By the metric registry: min for losses, max for accuracies; NaN never best; a learning rate has no best.
  assert.deepEqual({ ...t.best }, { loss: 0.4, val_accuracy: 0.8, test_accuracy: 0.75 });
});

test('metrics and params named like Object.prototype keys (__proto__, constructor) are kept as keys, as import keeps such tags', () => {
  const line = parseProtocolLine('{"step": 1, "params": {"__proto__": {"polluted": 1}}, "metrics": {"__proto__": 0.5, "constructor": 2, "loss": 1}}') as ProtocolLine;
  assert.equal(JSON.stringify(line.metrics!.values), '{"__proto__":0.5,"constructor":2,"loss":1}');
  const t = new ExecTracker();
  const row = t.apply(line, 0)!;
  t.apply(parseProtocolLine('{"step": 2, "metrics": {"__proto__": 0.25}}') as ProtocolLine, 1);
  assert.equal(JSON.stringify(row.metrics), '{"__proto__":0.5,"constructor":2,"loss":1}');
  assert.equal(JSON.stringify(t.final), '{"__proto__":0.25,"constructor":2,"loss":1}');
  assert.equal(JSON.stringify(t.latest), '{"__proto__":0.25}');
  assert.equal(JSON.stringify(t.params), '{"__proto__":{"polluted":1}}', 'a key, not the prototype of params');
  assert.equal((t.params as { polluted?: number }).polluted, undefined);
});

test('tracker: --set names the command reports unused leave the params; what it reports is kept', () => {
  assert.deepEqual(parseProtocolLine('{"params": {"batch_size": 64}, "unused": ["batch-size", "epochs"]}'), { params: { batch_size: 64 }, unused: ['batch-size', 'epochs'] });
  const t = new ExecTracker();
  t.params = { 'batch-size': 64, epochs: 5, lr: 0.1 };
  t.apply({ params: { batch_size: 64, lr: 0.1 }, unused: ['batch-size', 'epochs'] }, 0);
  assert.deepEqual(t.params, { batch_size: 64, lr: 0.1 });
});

test('tracker: lr is the metric named lr (or learning_rate) itself, before others named like one', () => {
  const t = new ExecTracker();
  assert.equal(t.apply({ metrics: { values: { base_lr: 0.1, lr: 0.01 } } }, 0)?.lr, 0.01);
  assert.equal(t.apply({ metrics: { values: { 'train/lr': 0.05, loss: 1 } } }, 0)?.lr, 0.05);
});

test('tracker: artifacts once each, in order', () => {
  const t = new ExecTracker();
  for (const a of ['a.pt', 'b.pt', 'a.pt']) t.apply({ artifact: a }, 0);
  assert.deepEqual(t.artifacts, ['a.pt', 'b.pt']);
});

test('outcome: exit codes, signals, stops, spawn errors, skipped lines', () => {
  const enoent = Object.assign(new Error('spawn foo ENOENT'), { code: 'ENOENT' });
  const eacces = Object.assign(new Error('spawn ./x EACCES'), { code: 'EACCES' });
  assert.deepEqual(execOutcome({ code: 0, signal: null }, 'python3', undefined, 0), { status: 'completed', message: 'exited with code 0' });
  assert.deepEqual(execOutcome({ code: 3, signal: null }, 'python3', undefined, 0), { status: 'failed', message: 'exited with code 3' });
  assert.deepEqual(execOutcome({ code: null, signal: 'SIGKILL' }, 'python3', undefined, 0), { status: 'crashed', message: 'killed by SIGKILL' });
  assert.deepEqual(execOutcome({ code: null, signal: 'SIGTERM' }, 'python3', 'stopped on request', 0), { status: 'stopped', message: 'stopped on request; the command was killed by SIGTERM' });
  assert.deepEqual(execOutcome({ code: 0, signal: null }, 'python3', 'stopped on request', 0), { status: 'stopped', message: 'stopped on request; the command exited with code 0' });
  assert.deepEqual(execOutcome({ error: enoent }, 'foo', undefined, 0), { status: 'failed', message: 'command not found: foo' });
  assert.deepEqual(execOutcome({ error: eacces }, './x', undefined, 0), { status: 'failed', message: 'permission denied: ./x' });
  assert.deepEqual(execOutcome({ code: 0, signal: null }, 'sh', undefined, 1), { status: 'completed', message: 'exited with code 0; protocol: skipped 1 malformed line' });
  assert.equal(execOutcome({ code: 1, signal: null }, 'sh', undefined, 5).message, 'exited with code 1; protocol: skipped 5 malformed lines');
  assert.equal(execOutcome({ code: 0, signal: null }, 'sh', undefined, 2, 3).message,
    'exited with code 0; protocol: skipped 2 malformed lines; protocol: the file was rewritten 3 times, not appended to: lines may be lost');
});

test('--set values: JSON where they parse, strings otherwise; a pair without = is bad input', () => {
  assert.deepEqual(parseSets(['lr=0.1', 'opt=adam', 'layers=[64,32]', 'aug=true', 'expr=a=b', 'empty=']), {
    lr: 0.1, opt: 'adam', layers: [64, 32], aug: true, expr: 'a=b', empty: '',
  });
  assert.throws(() => parseSets(['lr']), InputError);
  assert.throws(() => parseSets(['=1']), InputError);
  // The spec's parser and rules: no Infinity from an overflow, no silent last-wins, names as written.
  assert.throws(() => parseSets(['lr=1e999']), /--set lr=1e999: expected a finite number/);
  assert.throws(() => parseSets(['a={"b":1,"b":2}']), /--set a=\{"b":1,"b":2\}: expected/);
  assert.throws(() => parseSets(['lr=0.1', 'lr=0.2']), /expected each name once, found lr again/);
  assert.throws(() => parseSets([' sp =1']), /the name without surrounding blanks/);
  const own = parseSets(['__proto__={"x":1}']);
  assert.deepEqual([Object.keys(own), Object.getPrototypeOf(own) === Object.prototype], [['__proto__'], true], 'a parameter like any other, not the prototype');
});

test('default names: the program, or the script an interpreter runs', () => {
  assert.equal(defaultName(['python3', 'train.py', '--lr', '0.1']), 'train.py');
  assert.equal(defaultName(['/usr/bin/python3.11', '-u', 'src/train.py']), 'train.py');
  // An option's value is not the script.
  assert.equal(defaultName(['python3', '-W', 'ignore', 't.py']), 't.py');
  assert.equal(defaultName(['python3', '-X', 'dev', '-u', 't.py']), 't.py');
  assert.equal(defaultName(['node', '--require', 'x', 'main.js']), 'main.js');
  assert.equal(defaultName(['python', '-m', 'pkg.train']), 'pkg.train');
  assert.equal(defaultName(['sh', '-c', 'echo hi']), 'sh');
  assert.equal(defaultName(['Rscript', 'fit.R']), 'fit.R');
  assert.equal(defaultName(['./train.sh', 'x']), 'train.sh');
  assert.equal(defaultName(['/opt/bin/mytool', 'run']), 'mytool');
});

test('artifacts: copied under their base names (unique), folders whole, over the caps left in place', () => {
  const cwd = join(dir, 'cwd');
  const runDir = join(dir, 'run');
  mkdirSync(join(cwd, 'sub', 'ckpt'), { recursive: true });
  mkdirSync(runDir);
  writeFileSync(join(cwd, 'model.pt'), 'weights');
  writeFileSync(join(cwd, 'sub', 'model.pt'), 'other weights');
  writeFileSync(join(cwd, 'sub', 'ckpt', 'a.bin'), 'aaaa');
  writeFileSync(join(cwd, 'big.bin'), Buffer.alloc(101));
  writeFileSync(join(cwd, 'mid.bin'), Buffer.alloc(90));
  // model.pt named three ways (as written, ./, and absolute, as hone.save sends it) is copied once.
  const out = copyArtifacts(runDir, cwd, ['model.pt', './model.pt', join(cwd, 'sub/model.pt'), join(cwd, 'model.pt'), 'sub/ckpt', 'missing.txt', 'big.bin', 'mid.bin'], { each: 100, total: 110 });
  assert.deepEqual(out, [
    { path: 'model.pt', name: 'model.pt', bytes: 7 },
    { path: join(cwd, 'sub/model.pt'), name: 'model-2.pt', bytes: 13 },
    { path: 'sub/ckpt', name: 'ckpt', bytes: 4 },
    { path: 'missing.txt', problem: 'not found' },
    { path: 'big.bin', problem: 'over the 100 bytes limit for one artifact: left in place' },
    { path: 'mid.bin', problem: 'over the 110 bytes limit for a run\'s artifacts: left in place' },
  ]);
  assert.equal(readFileSync(join(runDir, 'artifacts', 'model-2.pt'), 'utf8'), 'other weights');
  assert.equal(readFileSync(join(runDir, 'artifacts', 'ckpt', 'a.bin'), 'utf8'), 'aaaa');
  // A file the command saved into the artifacts folder itself stays where it is, a name starting with two dots too.
  writeFileSync(join(runDir, 'artifacts', '..notes.txt'), 'n');
  assert.deepEqual(copyArtifacts(runDir, cwd, [join(runDir, 'artifacts', '..notes.txt')]), [{ path: join(runDir, 'artifacts', '..notes.txt'), name: '..notes.txt' }]);
  assert.deepEqual(readdirSync(join(runDir, 'artifacts')).sort(), ['..notes.txt', 'ckpt', 'model-2.pt', 'model.pt'], 'not copied beside itself');
});
