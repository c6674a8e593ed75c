// Runs the built CLI (dist/, made by `make build`) as a real process, the way users and the extension do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/hone.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function hone(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI without waiting; `result` resolves when it exits. `env` is added to this process's. */
export function honeAsync(args: string[], cwd = ROOT, env: Record<string, string> = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b) => (stdout += b));
  child.stderr!.on('data', (b) => (stderr += b));
  const result = new Promise<CliResult>((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
  return { child, result };
}

/** Writes a spec to `dir/name.hone.json` and returns its path. */
export function writeSpec(dir: string, name: string, spec: unknown): string {
  const file = join(dir, `${name}.hone.json`);
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/** A small digits MLP spec, fast on any backend. */
export const digitsSpec = (name: string, train: Record<string, unknown> = {}) => ({
  name,
  seed: 3,
  data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
  model: { type: 'mlp', layers: [32] },
  train: { epochs: 3, batchSize: 64, lr: 0.01, ...train },
});

export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The bytes of a run's saved model on disk, model/model.json and its weight files: what its tfjs_bytes should be. */
export function modelFileBytes(runDir: string): number {
  const dir = join(runDir, 'model');
  return ['model.json', ...readdirSync(dir).filter((f) => /^weights.*\.bin$/.test(f))].reduce((a, f) => a + statSync(join(dir, f)).size, 0);
}

/** Polls `check` every 50 ms until it returns a value, failing after `ms`. */
export async function waitFor<T>(check: () => T | undefined, ms = 60_000, what = 'condition'): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = check();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}
