// Optuna's TPE and random search, run by bench/samplers/optuna_driver.py in one long-lived Python process:
// it suggests, this side evaluates the problem (defined once, in problems.ts) and answers with the value.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { Problem } from './problems';

export interface OptunaDriver {
  version: string;
  /** The objective values of `trials` trials, in order. */
  minimize(sampler: 'tpe' | 'random', problem: Problem, trials: number, seed: number): Promise<number[]>;
  close(): void;
}

export async function startOptuna(python = '/usr/bin/python3'): Promise<OptunaDriver> {
  const child = spawn(python, [join(__dirname, 'optuna_driver.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async (): Promise<unknown> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the Optuna driver exited');
    return JSON.parse(value as string);
  };
  const send = (v: unknown) => child.stdin.write(`${JSON.stringify(v)}\n`);
  const { optuna } = (await read()) as { optuna: string };
  return {
    version: optuna,
    async minimize(sampler, problem, trials, seed) {
      send({ sampler, seed, bounds: problem.bounds, trials });
      const values: number[] = [];
      for (let i = 0; i < trials; i++) {
        values.push(problem.f((await read()) as number[]));
        send(values[i]);
      }
      return values;
    },
    close: () => child.stdin.end(),
  };
}
