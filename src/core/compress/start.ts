/**
 * `hone compress <run>` and the Runs tree's "Compress Run…": a child run (kind `compress`, `parent` the
 * run) whose spec is the parent's with a `compress` section, trained by the usual worker, which starts
 * from the parent's saved model instead of training one, on the data the parent trained on. Everything is checked before anything is
 * written: a bad request is an InputError naming each problem with its JSON path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import { launchRun, queueRun, type LaunchOptions, type QueuedRun, type RunHandle } from '../runner';
import { applyOverrides, formatProblems, parseJson, validateSpec, type Spec, type SpecProblem } from '../spec';
import { reportProblems } from '../spec/bound';
import { jsonProblem } from '../spec/load';
import { findRun, MODEL_DIR } from '../store';
import { hasFullSpec, kindOf, type RunRecord, type RunStatus, type TrainRecord } from '../store/types';
import { describeCompress, plannedEpochs } from './plan';
import { namedLayers, savedLayers } from './layers';
import { structuredProblems } from '../spec/checks-compress';
import { showFound } from '../spec/describe';
import { loadDataset } from '../../engine/data';
import { dataChange, dataProvenance } from '../../engine/data-hash';

export interface CompressRequest {
  storeDir: string;
  /** The run to compress: an id, a unique id prefix or a run name. */
  ref: string;
  /** A JSON file with the `compress` section (and optionally `train` fields for the retraining). */
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
}

/** Statuses whose runs saved a model that can be compressed. */
export const COMPRESSIBLE: readonly RunStatus[] = ['completed', 'stopped'];

/** Keys a compress spec file may hold; the parent's data and model are kept. */
const FILE_KEYS = ['$schema', 'name', 'description', 'compress', 'train'];

function parentOf(storeDir: string, ref: string): TrainRecord & { dir: string } {
  const found = findRun(storeDir, ref);
  const rec = found.record;
  if (!hasFullSpec(rec)) throw new InputError(`run ${rec.id} is an ${kindOf(rec)} run: only models Hone trained can be compressed`);
  if (!COMPRESSIBLE.includes(rec.status)) throw new InputError(`run ${rec.id} cannot be compressed: it is ${rec.status}, and only completed or stopped runs saved a model`);
  const model = join(found.dir, MODEL_DIR);
  if (!existsSync(join(model, 'model.json')) || !existsSync(join(model, 'weights.bin'))) throw new InputError(`run ${rec.id} has no saved model to compress (no ${model}/model.json and weights.bin)`);
  return { ...rec, dir: found.dir };
}

/** The spec file's object, or the problems that keep it from being one. */
function readFile(file: string): { value?: Record<string, unknown>; problems: SpecProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problems: [{ path: '', expected: 'a readable JSON file', found: (e as Error).message }] };
  }
  const parsed = parseJson(text);
  if ('error' in parsed) return { problems: [{ path: '', expected: `valid JSON: ${parsed.error.expected}`, found: `${parsed.error.found} at line ${parsed.error.line}, column ${parsed.error.column}` }] };
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problems: [{ path: '', expected: 'an object with a compress section', found: JSON.stringify(v).slice(0, 40) }] };
  // The JSON text's own problems first (a duplicate key, a number that overflows), as for spec files.
  const problems = [...parsed.problems.map(jsonProblem), ...Object.keys(v).filter((k) => !FILE_KEYS.includes(k)).map((k): SpecProblem => ({
    path: k, expected: `no '${k}' here: hone compress keeps the parent run's ${k}; a compress spec holds compress and train only`, found: JSON.stringify((v as Record<string, unknown>)[k]).slice(0, 60),
  }))];
  return { value: v as Record<string, unknown>, problems };
}

/** Options only some optimizers use, and which. */
const OPTIMIZER_ONLY: Record<string, readonly string[]> = { momentum: ['momentum', 'nesterov'], weightDecay: ['adamw'] };

/**
 * `train` without the options its (final) optimizer ignores, unless the request wrote them: the parent's
 * snapshot holds them as filled defaults, which validation would otherwise take for values the user wrote
 * for the wrong optimizer (a momentum parent compressed with adam).
 */
function unusedDropped(train: Record<string, unknown>, written: Record<string, unknown>): Record<string, unknown> {
  const out = { ...train };
  for (const [key, users] of Object.entries(OPTIMIZER_ONLY)) if (!users.includes(train.optimizer as string) && written[key] === undefined) delete out[key];
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the spec asks that the parent's saved network cannot give, when it is not the network its spec
 * builds (a structurally pruned parent has fewer units): units for structured pruning to remove, and
 * initial values for rewinding.
 */
function parentModelProblems(parent: TrainRecord & { dir: string }, spec: Spec): SpecProblem[] {
  const c = spec.compress;
  let saved;
  try {
    saved = savedLayers(JSON.parse(readFileSync(join(parent.dir, MODEL_DIR, 'model.json'), 'utf8')));
  } catch {
    saved = undefined;
  }
  if (!c || !saved) return [];
  const whose = ` in run ${parent.id}'s model`;
  const out = c.structured ? structuredProblems(c.structured, saved, whose) : [];
  const built = namedLayers(spec.model);
  const shrunk = saved.flatMap((l) => {
    const units = built.find((b) => b.name === l.name)?.units;
    return !l.output && units !== l.units ? [`${l.name} has ${l.units} units, the spec ${units}`] : [];
  });
  if (c.prune?.schedule.type === 'iterative' && c.prune.schedule.rewind === 'init' && shrunk.length) {
    out.push({
      path: 'compress.prune.schedule.rewind', found: showFound('init'),
      expected: `"none": run ${parent.id}'s model is not the network its spec builds (${shrunk.join(', ')}: structurally pruned), so it has no initial values to rewind to`,
    });
  }
  return out;
}

/**
 * Refuses a parent whose data changed since it trained (its provenance's SHA-256 against the data as the
 * worker would load it): the child would retrain, normalise and measure the parent's model on other data.
 */
function sameDataAsParent(parent: TrainRecord, spec: Spec): void {
  const then = parent.provenance?.data;
  if (!then) return;
  let changed: string | undefined;
  try {
    changed = dataChange(then, dataProvenance(loadDataset(spec.data, spec.seed, process.cwd()), spec.data, process.cwd()));
  } catch (e) {
    throw new InputError(`run ${parent.id} cannot be compressed: its data does not load, to be checked against the data it trained on: ${(e as Error).message}`);
  }
  if (changed) throw new InputError(`run ${parent.id} cannot be compressed: its data changed since it trained (${changed}), so its model would be retrained, normalised and measured on other data; restore the data, or train a new run on it`);
}

/**
 * The child's spec: the parent's (without its sweep, compress and federated sections), `train` fields of the file
 * merged over the parent's, the file's `compress`, then the assignments. Validated like any spec.
 */
export function prepareCompress(r: CompressRequest): PreparedCompress {
  const parent = parentOf(r.storeDir, r.ref);
  const label = r.specPath ?? '--set';
  const file = r.specPath ? readFile(resolve(r.specPath)) : { value: {}, problems: [] };
  if (file.problems.length) throw new InputError(formatProblems(label, file.problems));
  // A federated parent's section goes too: its global model is compressed, and retrained centrally.
  const { sweep: _s, compress: _c, federated: _f, ...base } = parent.spec;
  const given = file.value ?? {};
  const raw = { ...base, train: { ...base.train, ...(given.train as object | undefined) }, ...(given.compress !== undefined ? { compress: given.compress } : {}) };
  const scope = { roots: ['compress', 'train'], why: "hone compress keeps the parent run's data and model" };
  const over = applyOverrides(raw, r.sets, scope);
  const value = over.value as { compress?: unknown; train?: unknown };
  if (!over.problems.length && value.compress === undefined) {
    throw new InputError('hone compress: nothing to do: give a spec file with a compress section, or --set compress.<technique>.<field>=<value> (e.g. --set compress.prune.sparsity=0.9)');
  }
  // What the request itself writes under train: the file's, then the assignments, without the parent's.
  const written = (applyOverrides({ train: given.train ?? {} }, r.sets, scope).value as { train?: unknown }).train;
  const merged = isObject(value.train) ? { ...value, train: unusedDropped(value.train, isObject(written) ? written : {}) } : value;
  const checked = validateSpec(merged, { baseDir: parent.specPath ? dirname(parent.specPath) : process.cwd() });
  const problems = reportProblems(over.problems, checked.problems);
  if (problems.length || !checked.spec) throw new InputError(formatProblems(label, problems));
  const unfit = parentModelProblems(parent, checked.spec);
  if (unfit.length) throw new InputError(formatProblems(label, unfit));
  sameDataAsParent(parent, checked.spec);
  return { parent, spec: checked.spec, name: `${parent.name} > ${describeCompress(checked.spec.compress)}` };
}

/** Checks the request (see prepareCompress) and records the child run, queued; nothing is written when a check fails. */
export function queueCompress(r: CompressRequest): QueuedRun & { parent: RunRecord } {
  const p = prepareCompress(r);
  const queued = queueRun({
    storeDir: r.storeDir, spec: p.spec, specPath: r.specPath ? resolve(r.specPath) : p.parent.specPath, overrides: r.sets, versions: r.versions,
    parent: p.parent.id, kind: 'compress', name: p.name, epochsPlanned: plannedEpochs(p.spec, 'compress'), command: r.command,
  });
  return { ...queued, parent: p.parent };
}

/** `queueCompress`, then its worker (dist/worker.js, see `launchRun`): what `hone compress` and "Compress Run…" call. */
export function compressRun(r: CompressRequest, o: LaunchOptions): RunHandle & { parent: RunRecord } {
  const queued = queueCompress(r);
  return { ...launchRun(r.storeDir, queued, o), parent: queued.parent };
}
