/**
 * `hone compress <run>` and the Runs tree's "Compress Run…": a child run (kind `compress`, `parent` the
 * run) whose spec is the parent's with a `compress` section, trained by the usual worker, which starts
 * from the parent's saved model instead of training one, on the data the parent trained on. Everything
 * is checked before anything is written: a bad request is an InputError naming each problem with its
 * JSON path (request-checks.ts holds the checks against the parent).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { launchRun, queueRun, type LaunchOptions, type QueuedRun, type RunHandle } from '../runner';
import { applyOverrides, formatProblems, parseJson, validateSpec, type Spec, type SpecProblem } from '../spec';
import { reportProblems } from '../spec/bound';
import { jsonProblem, readSpecText } from '../spec/load';
import { showFound } from '../spec/describe';
import { appendLog, findRun, MODEL_DIR } from '../store';
import { hasFullSpec, kindOf, type FederatedOrigin, type RunRecord, type RunStatus, type TrainRecord } from '../store/types';
import { describeCompress } from './plan';
import { centralRetraining, federatedOrigin, parentModelProblems, sameDataAsParent, unappliedTrain, unusedDropped } from './request-checks';
import { isObject } from '../queue/job';

export interface CompressRequest {
  storeDir: string;
  /** The run to compress: an id, a unique id prefix or a run name. */
  ref: string;
  /**
   * A JSON file with the `compress` section (and optionally `train` fields for the retraining), or a full
   * spec (one with `data` and `model`), of which only the `compress` section is used.
   */
  specPath?: string;
  /** `path=value` assignments on the child's spec, after the file: `compress.prune.sparsity=0.9`, `train.lr=1e-4`. */
  sets: string[];
  versions?: Record<string, string>;
  /** What made the run, for its provenance: default this process's command line. */
  command?: string[];
}

export interface PreparedCompress {
  parent: RunRecord;
  spec: Spec;
  name: string;
  /** The federated run the parent's model comes from, recorded in the child (see federatedOrigin). */
  origin?: FederatedOrigin;
  /** What the request left out that the user should know: the unused parts of a full spec file. */
  notes: string[];
}

/** Statuses whose runs saved a model that can be compressed. */
export const COMPRESSIBLE: readonly RunStatus[] = ['completed', 'stopped'];

/** Keys a compress spec file may hold (name and description are the child's); the parent's data and model are kept. */
const FILE_KEYS = ['$schema', 'name', 'description', 'compress', 'train'];

/**
 * Keys every spec holds and a compress file never does: a file with both is a spec (an example's, say) whose
 * compress section is wanted; one with a single one of them is a compress file asking for what it cannot.
 */
const FULL_SPEC_KEYS = ['data', 'model'];

interface SpecFile {
  value?: Record<string, unknown>;
  problems: SpecProblem[];
  /** For a full spec: its keys left unused (all but compress). */
  unused?: string[];
}

function parentOf(storeDir: string, ref: string): TrainRecord & { dir: string } {
  const found = findRun(storeDir, ref);
  const rec = found.record;
  if (!hasFullSpec(rec)) throw new InputError(`run ${rec.id} is an ${kindOf(rec)} run: only models Hone trained can be compressed`);
  if (!COMPRESSIBLE.includes(rec.status)) throw new InputError(`run ${rec.id} cannot be compressed: it is ${rec.status}, and only completed or stopped runs saved a model`);
  const model = join(found.dir, MODEL_DIR);
  if (!existsSync(join(model, 'model.json')) || !existsSync(join(model, 'weights.bin'))) throw new InputError(`run ${rec.id} has no saved model to compress (no ${model}/model.json and weights.bin)`);
  return { ...rec, dir: found.dir };
}

/** The spec file's object (a full spec's compress section alone), or the problems that keep it from being one. */
function readFile(file: string): SpecFile {
  // As a spec file is read: a regular file (a named pipe would block for ever) of bounded size.
  const text = readSpecText(file);
  if (typeof text !== 'string') return { problems: [text] };
  const parsed = parseJson(text);
  if ('error' in parsed) return { problems: [{ path: '', expected: `valid JSON: ${parsed.error.expected}`, found: `${parsed.error.found} at line ${parsed.error.line}, column ${parsed.error.column}` }] };
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problems: [{ path: '', expected: 'an object with a compress section', found: JSON.stringify(v).slice(0, 40) }] };
  const o = v as Record<string, unknown>;
  if (FULL_SPEC_KEYS.every((k) => k in o)) return fullSpecSection(o, parsed.problems.map(jsonProblem));
  // The JSON text's own problems first (a duplicate key, a number that overflows), as for spec files.
  const problems = [...parsed.problems.map(jsonProblem), ...Object.keys(o).filter((k) => !FILE_KEYS.includes(k)).map((k): SpecProblem => ({
    path: k, expected: `no '${k}' here: hone compress keeps the parent run's ${k}; a compress spec holds compress and train (and the child's name and description), and of a full spec (one with data and model) only the compress section is used`, found: JSON.stringify(o[k]).slice(0, 60),
  }))];
  if (o.train !== undefined && !isObject(o.train)) problems.push({ path: 'train', expected: 'an object of train fields for the retraining, e.g. {"lr": 0.0005}', found: showFound(o.train) });
  if (o.name !== undefined && (typeof o.name !== 'string' || !o.name.trim())) problems.push({ path: 'name', expected: 'a non-empty string: the name of the compress run', found: showFound(o.name) });
  return { value: o, problems };
}

/**
 * A full spec's `compress` section, as a compress file holding only it: its name, data, model and train are
 * another run's, while the child keeps its parent's (and the parent's train settings for the retraining).
 */
function fullSpecSection(o: Record<string, unknown>, json: SpecProblem[]): SpecFile {
  const unused = Object.keys(o).filter((k) => k !== 'compress' && k !== '$schema');
  // The JSON text's problems in the section used; the rest of the file is not read.
  const problems = json.filter((p) => /^compress($|[.[])/.test(p.path));
  if (o.compress !== undefined) return { value: { compress: o.compress }, problems, unused };
  return {
    problems: [...problems, {
      path: 'compress', found: 'nothing',
      expected: `a compress section: this file is a full spec (it has ${FULL_SPEC_KEYS.join(' and ')}), of which hone compress uses only the compress section; or give a compress file, {"compress": {...}} with optionally train, name and description`,
    }],
  };
}

/**
 * The child's spec: the parent's (without its sweep, compress and federated sections), `train` fields of the file
 * merged over the parent's, the file's `compress` (and `description`), then the assignments. Validated like
 * any spec. The child is named by the file's `name`, else after its parent and techniques.
 */
export function prepareCompress(r: CompressRequest): PreparedCompress {
  const parent = parentOf(r.storeDir, r.ref);
  const label = r.specPath ?? '--set';
  const file: SpecFile = r.specPath ? readFile(resolve(r.specPath)) : { value: {}, problems: [] };
  if (file.problems.length) throw new InputError(formatProblems(label, file.problems));
  // A federated parent's section goes too: its global model is compressed, without retraining (centralRetraining).
  const { sweep: _s, compress: _c, federated: _f, ...base } = parent.spec;
  const given = file.value ?? {};
  const raw = {
    ...base, ...(given.description !== undefined ? { description: given.description } : {}),
    train: { ...base.train, ...(given.train as object | undefined) }, ...(given.compress !== undefined ? { compress: given.compress } : {}),
  };
  const scope = { roots: ['compress', 'train'], why: "hone compress keeps the parent run's data and model" };
  const over = applyOverrides(raw, r.sets, scope);
  const value = over.value as { compress?: unknown; train?: unknown };
  if (!over.problems.length && value.compress === undefined) {
    throw new InputError('hone compress: nothing to do: give a spec file with a compress section, or --set compress.<technique>.<field>=<value> (e.g. --set compress.prune.sparsity=0.9)');
  }
  // What the request itself writes under train: the file's, then the assignments, without the parent's.
  const written = (applyOverrides({ train: given.train ?? {} }, r.sets, scope).value as { train?: unknown }).train;
  const own = isObject(written) ? written : {};
  const merged = isObject(value.train) ? { ...value, train: unusedDropped(value.train, own) } : value;
  const checked = validateSpec(merged, { baseDir: parent.specPath ? dirname(parent.specPath) : process.cwd() });
  const problems = reportProblems([...over.problems, ...unappliedTrain(own)], checked.problems);
  if (problems.length || !checked.spec) throw new InputError(formatProblems(label, problems));
  const origin = federatedOrigin(r.storeDir, parent);
  const unfit = [...parentModelProblems(parent, checked.spec), ...(origin ? centralRetraining(origin, parent.id, checked.spec) : [])];
  if (unfit.length) throw new InputError(formatProblems(label, unfit));
  sameDataAsParent(parent, checked.spec);
  const notes = file.unused ? [`${label} is a full spec: using its compress section only; its ${file.unused.join(', ')} are not used (the child keeps run ${parent.id}'s data, model and train settings; --set train.<field> changes the retraining's)`] : [];
  return { parent, spec: checked.spec, name: typeof given.name === 'string' ? given.name.trim() : `${parent.name} > ${describeCompress(checked.spec.compress)}`, notes, origin };
}

/** Checks the request (see prepareCompress) and records the child run, queued; nothing is written when a check fails. */
export function queueCompress(r: CompressRequest): QueuedRun & { parent: RunRecord; notes: string[] } {
  const p = prepareCompress(r);
  const queued = queueRun({
    storeDir: r.storeDir, spec: p.spec, specPath: r.specPath ? resolve(r.specPath) : p.parent.specPath, overrides: r.sets, versions: r.versions,
    parent: p.parent.id, federatedOrigin: p.origin, kind: 'compress', name: p.name, command: r.command,
  });
  for (const note of p.notes) appendLog(queued.dir, `${note}\n`);
  return { ...queued, parent: p.parent, notes: p.notes };
}

/** `queueCompress`, then its worker (dist/worker.js, see `launchRun`): what `hone compress` and "Compress Run…" call. */
export function compressRun(r: CompressRequest, o: LaunchOptions): RunHandle & { parent: RunRecord; notes: string[] } {
  const queued = queueCompress(r);
  return { ...launchRun(r.storeDir, queued, o), parent: queued.parent, notes: queued.notes };
}
