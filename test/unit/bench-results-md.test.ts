// bench/results-md.ts: a bench rewriting its section of bench/RESULTS.md keeps the section's hand-written
// blocks (<!-- hand --> ... <!-- /hand -->) after its new body, and touches no other section; the section's
// command line names the knobs the run was given.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, readSection, restoreSection, writeSection } from '../../bench/results-md';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const dir = makeTmpDir('hone-results-md-');
after(() => removeTmpDir(dir));

const FIXTURE = `# Benchmarks

## Engine

Old engine figures.

<!-- hand -->
Note by hand: why the old figures look as they do.
<!-- /hand -->

More old generated text.

<!-- hand -->
### A second run (added by hand)

| a | b |
| --- | --- |
| 1 | 2 |
<!-- /hand -->

## Engine: LeNet-5 on full MNIST

LeNet figures.

### Engine

A subsection that shares the title.
`;

function fixture(name: string, text = FIXTURE): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

test('the new body replaces the generated text and the hand-written blocks follow it, in order', () => {
  const file = fixture('keep.md');
  writeSection(file, 'Engine', 'New engine figures.');
  const text = readFileSync(file, 'utf8');
  const engine = text.slice(text.indexOf('## Engine\n'), text.indexOf('## Engine: LeNet'));
  assert.equal(engine, `## Engine

New engine figures.

<!-- hand -->
Note by hand: why the old figures look as they do.
<!-- /hand -->

<!-- hand -->
### A second run (added by hand)

| a | b |
| --- | --- |
| 1 | 2 |
<!-- /hand -->

`);
  assert.doesNotMatch(text, /Old engine figures|More old generated text/);
});

test('a rewrite twice over keeps each hand-written block once', () => {
  const file = fixture('twice.md');
  writeSection(file, 'Engine', 'First.');
  writeSection(file, 'Engine', 'Second.');
  const text = readFileSync(file, 'utf8');
  assert.equal(text.split('Note by hand').length - 1, 1);
  assert.equal(text.split('### A second run').length - 1, 1);
  assert.match(text, /## Engine\n\nSecond\.\n\n<!-- hand -->/);
});

test('other sections, and headings that only contain the title, are left alone', () => {
  const file = fixture('others.md');
  writeSection(file, 'Engine', 'New.');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('# Benchmarks\n\n## Engine\n\nNew.\n'));
  assert.ok(text.endsWith('## Engine: LeNet-5 on full MNIST\n\nLeNet figures.\n\n### Engine\n\nA subsection that shares the title.\n'));
  writeSection(file, 'Engine: LeNet-5 on full MNIST', 'New LeNet.');
  const after = readFileSync(file, 'utf8');
  assert.match(after, /## Engine: LeNet-5 on full MNIST\n\nNew LeNet\.\n$/);
  assert.match(after, /Note by hand/);
});

test('a section that does not exist yet is appended', () => {
  const file = fixture('append.md');
  writeSection(file, 'Sweep', 'Sweep figures.');
  assert.ok(readFileSync(file, 'utf8').endsWith('A subsection that shares the title.\n\n## Sweep\n\nSweep figures.\n'));
});

test('an unpaired marker stops the rewrite and the file stays as it was', () => {
  const text = FIXTURE.replace('Note by hand: why the old figures look as they do.\n<!-- /hand -->', 'Note by hand, never closed.');
  const file = fixture('unpaired.md', text);
  assert.throws(() => writeSection(file, 'Engine', 'New.'), /section "Engine": 2 <!-- hand --> and 1 <!-- \/hand --> markers do not pair up/);
  assert.equal(readFileSync(file, 'utf8'), text);
});

test('the command line names the knobs that were set, quoted for the shell, then the script', () => {
  const env = { SEEDS: '50', SEED0: '30000,30050', FED_FEDAVGM: '{"serverLr":1.5}', WONG_MODELS: "/m/it's", UNRELATED: '1' };
  assert.equal(commandLine('bench/samplers/run.sh', ['SEEDS', 'SEED0', 'TRIALS'], env), 'SEEDS=50 SEED0=30000,30050 bash bench/samplers/run.sh');
  assert.equal(commandLine('bench/federated/run.sh', ['FED_FEDAVGM'], env), `FED_FEDAVGM='{"serverLr":1.5}' bash bench/federated/run.sh`);
  assert.equal(commandLine('bench/robust/run.sh', ['WONG_MODELS'], env), `WONG_MODELS='/m/it'\\''s' bash bench/robust/run.sh`);
  assert.equal(commandLine('bench/sweep/run.sh', ['SEEDS'], {}), 'bash bench/sweep/run.sh');
});

test('a section read before a bench rewrote it is put back as it was, hand blocks and other sections included (a failed Federated bench)', () => {
  const file = fixture('restore.md');
  const found = readSection(file, 'Engine');
  assert.match(found!, /^## Engine\n\nOld engine figures\.[\s\S]*\| 1 \| 2 \|\n<!-- \/hand -->\n$/);
  writeSection(file, 'Engine', 'Partial figures of a bench that then failed.');
  writeSection(file, 'Engine: LeNet-5 on full MNIST', 'New LeNet figures.');
  restoreSection(file, 'Engine', found);
  assert.equal(readFileSync(file, 'utf8'), FIXTURE.replace(/LeNet figures\.[\s\S]*$/, 'New LeNet figures.\n'));
  // A section the file did not have before the bench goes again.
  assert.equal(readSection(file, 'Federated'), undefined);
  writeSection(file, 'Federated', 'Partial.');
  restoreSection(file, 'Federated', undefined);
  assert.equal(readFileSync(file, 'utf8'), FIXTURE.replace(/LeNet figures\.[\s\S]*$/, 'New LeNet figures.\n'));
});
