// Editor help for specs without VS Code: the editor schema (hover and completion data, no validation),
// where a problem is underlined, the diagnostics' wording (one problem per mistake, the CLI's words), and
// the warning for a sweep budget too small for its stopper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editorSchema, validationKeywords } from '../../src/extension/editor-schema';
import { locateProblems, pathKeys, problemSpan } from '../../src/extension/spec-ranges';
import { problemCount } from '../../src/extension/args';
import { budgetWarning, expectedCompleted } from '../../src/extension/sweep-budget';
import { formatProblem, parseJson, validateSpec, type Spec } from '../../src/core/spec';
import { ROOT } from '../helpers/cli';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/hone.schema.json'), 'utf8'));
const editor = editorSchema(schema) as any;

test('the editor schema keeps every description, default and value, and nothing VS Code would validate with', () => {
  assert.deepEqual(validationKeywords(editor), [], 'no type, enum, const, min/max, required, additionalProperties: false, oneOf');
  assert.ok(validationKeywords(schema).length > 50, 'the check itself finds them in the real schema');
  const train = editor.properties.train.properties;
  assert.match(train.lr.description, /learning rate/i);
  assert.equal(train.lr.default, 0.001);
  assert.equal(train.lr.markdownDescription, 'Base learning rate.\n\nExpected a number in (0, 1000]. Default: `0.001`.', 'the rule, in the words problems use, is in the hover');
  assert.match(editor.properties.name.markdownDescription, /\*\*Required\.\*\*/);
  assert.deepEqual(train.optimizer.examples, ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'adagrad', 'rmsprop'], 'enum values still complete');
  assert.ok(train.batchSize, 'property names still complete');
  // A discriminated oneOf: the tag completes with every kind, each kind's properties once it is chosen.
  const data = editor.properties.data;
  assert.deepEqual(data.properties.source.examples, ['regression', 'classification', 'digits', 'mnist', 'csv']);
  assert.match(data.properties.source.markdownDescription, /`"digits"`: /);
  const digits = data.allOf.find((b: any) => b.if.properties.source.const === 'digits');
  assert.deepEqual(digits.if.required, ['source'], 'a spec without a source matches no branch');
  assert.ok(digits.then.properties.split && digits.then.properties.normalize);
  assert.ok(editor.definitions.normalize.examples.includes('standard'), 'definitions are converted too');
  assert.ok(editor.definitions.sweepParameter.allOf.length === 3, 'sweep parameters document their kinds');
  assert.deepEqual(editor.definitions.normalizeTarget.examples, [true, false], 'booleans complete');
});

test('the build writes the editor schema that package.json registers', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const url: string = pkg.contributes.jsonValidation[0].url;
  assert.equal(url, './dist/hone.editor.schema.json');
  const built = join(ROOT, url);
  assert.ok(existsSync(built), 'node scripts/build.mjs makes it');
  assert.deepEqual(JSON.parse(readFileSync(built, 'utf8')), editor);
});

test('no example names a $schema: one relative to the repository breaks outside it and overrides the extension\'s', () => {
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.hone.json'));
  assert.ok(examples.length >= 5);
  for (const f of examples) {
    assert.equal(JSON.parse(readFileSync(join(ROOT, 'examples', f), 'utf8')).$schema, undefined, f);
  }
});

test('spec paths as problems write them, quoted keys included', () => {
  assert.deepEqual(pathKeys('train.lr'), ['train', 'lr']);
  assert.deepEqual(pathKeys('model.layers[0].units'), ['model', 'layers', 0, 'units']);
  assert.deepEqual(pathKeys('sweep.parameters["train.lr"].min'), ['sweep', 'parameters', 'train.lr', 'min']);
  assert.equal(pathKeys('a[x]'), undefined);
});

/** Problems of a spec text as the editor shows them: the text checked by validateSpec, each at its span. */
function problems(text: string) {
  const parsed = parseJson(text);
  assert.ok('value' in parsed);
  return validateSpec(parsed.value, { baseDir: ROOT }).problems.map((p) => {
    const s = problemSpan(text, p);
    return { message: formatProblem(p), at: text.slice(s.offset, s.offset + s.length) };
  });
}

test('a bad value and a misspelled key each give exactly one problem, in the CLI\'s words, at the right place', () => {
  const example = readFileSync(join(ROOT, 'examples/digits-mlp.hone.json'), 'utf8');
  assert.deepEqual(problems(example), []);
  assert.deepEqual(problems(example.replace('"lr": 0.001', '"lr": -1')), [{ message: 'train.lr: expected a number > 0, found -1', at: '-1' }]);
  const typo = problems(example.replace('"batchSize"', '"batchSise"'));
  assert.equal(typo.length, 1, JSON.stringify(typo));
  assert.match(typo[0].message, /^train\.batchSise: expected no property 'batchSise' \(did you mean 'batchSize'\?\), found 32$/);
  assert.equal(typo[0].at, '"batchSise"', 'the key is underlined, not its value');
  const missing = problems('{ "name": "x", "data": { "source": "digits" }, "model": { "type": "mlp", "layers": [8] }, "train": { "schedule": {} } }');
  assert.equal(missing.length, 1);
  assert.equal(missing[0].at, '"schedule"', 'a missing property underlines the object it belongs in');
});

test('deeply nested JSON gives one diagnostic where nesting goes too deep, never a stack overflow; a capped list counts what it left out', () => {
  const example = readFileSync(join(ROOT, 'examples/digits-mlp.hone.json'), 'utf8');
  assert.deepEqual(locateProblems(example, ROOT), []);
  const lr = locateProblems(example.replace('"lr": 0.001', '"lr": -1'), ROOT);
  assert.deepEqual(lr.map((p) => p.message), ['train.lr: expected a number > 0, found -1']);
  for (const depth of [100, 30_000]) {
    const text = `{\n  "name": "deep",\n  "data": ${'['.repeat(depth)}${']'.repeat(depth)}\n}`;
    const found = locateProblems(text, ROOT);
    assert.equal(found.length, 1, `depth ${depth}: ${JSON.stringify(found).slice(0, 200)}`);
    assert.match(found[0].message, /^data(\[0\])+: expected at most \d+ levels of nesting, found "\[" opening level \d+$/);
    assert.equal(text[found[0].offset], '[', 'underlined at the bracket that goes too deep');
  }
  assert.deepEqual(locateProblems('{ "name": ', ROOT), [], 'a syntax error is VS Code\'s own JSON support\'s to report');
  const capped = [{ path: 'a', expected: 'x', found: 'y' }, { path: '', expected: 'at most 1 problems listed', found: '12 more', kind: 'omitted' }];
  assert.equal(problemCount(capped), 13, 'the omitted entry counts the problems it stands for, not itself');
  assert.equal(problemCount(capped.slice(0, 1)), 1);
});

test('a sweep budget too small for its stopper is warned about; one that suits it is not', () => {
  const asha = { type: 'asha', minEpochs: 1, eta: 3 } as const;
  assert.equal(expectedCompleted({ type: 'none' }, 6, 9), 6);
  assert.ok(expectedCompleted(asha, 6, 9) < 4, 'ASHA leaves few of 6 trials complete');
  assert.ok(expectedCompleted(asha, 30, 9) >= 4);
  const spec = (trials: number) => ({ train: { epochs: 9 }, sweep: { stopper: asha, trials } }) as unknown as Spec;
  assert.match(budgetWarning(spec(6))!, /^With 6 trials of 9 epochs, the asha stopper lets about [\d.]+ trial\(s\) train to the end; ranking trials and parameter importance need at least 4/);
  assert.equal(budgetWarning(spec(30)), undefined, 'the example\'s own budget suits it');
  assert.equal(budgetWarning({ train: { epochs: 9 }, sweep: { stopper: { type: 'none' }, trials: 3 } } as unknown as Spec), undefined);
  // A federated trial trains federated.rounds (its stopper judges rounds), whatever train.epochs says.
  const fed = { train: { epochs: 10 }, federated: { rounds: 15 }, sweep: { stopper: asha, trials: 8 } } as unknown as Spec;
  assert.match(budgetWarning(fed)!, /^With 8 trials of 15 rounds, the asha stopper lets about/);
  assert.equal(budgetWarning({ ...fed, federated: { rounds: 1 } } as unknown as Spec), undefined, 'one round leaves the stopper nothing to prune');
});
