// Per-kernel time of Hone's training step on the wasm backend, one JSON line:
//   node --import tsx bench/engine/profile.ts <mlp|lenet> <threads> <steps>
// tf.profile records every kernel the engine dispatches with its synchronous time (the wasm backend
// times kernels on the CPU clock); Hone's own kernels count as one kernel each, their inner calls
// included. One warm-up epoch, then `steps` profiled batches of Hone's train loop (Adam lr 1e-3).
// Every step dispatches the same kernels in the same order, so each call's time is the minimum over
// the steps: on a machine that other work shares, that is the time the kernel takes when it has its
// cores, which is what the per-kernel shares should compare (the median is reported beside it).
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/engine/backend';
import { buildModel } from '../../src/engine/models';
import { train } from '../../src/engine/train';
import { mnistTrain, trainSpec, WORKLOADS, type Workload } from './workloads';

export interface KernelProfile {
  name: string;
  callsPerStep: number;
  /** Sum over the step's calls of each call's minimum (and median) time over the profiled steps. */
  minMs: number;
  medianMs: number;
}

export interface StepProfile {
  workload: Workload;
  threads: number;
  steps: number;
  /** Wall time of a step: minimum and median over the profiled steps. */
  stepMinMs: number;
  stepMedianMs: number;
  kernels: KernelProfile[];
}

type Recorded = { name: string; kernelTimeMs: number | { error: string } };

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function profileStep(workload: Workload, threads: number, steps: number): Promise<StepProfile> {
  const report = await chooseBackend('wasm', [], { threads });
  const { batch, spec } = WORKLOADS[workload];
  const data = mnistTrain(batch * steps);
  const model = buildModel(spec, data, 1, 0);
  await train(model, data, trainSpec(batch), 1, { onEpoch: () => {}, shouldStop: () => false });
  // Step boundaries: the number of kernels recorded so far, and the time, after every batch.
  const ends: number[] = [];
  const stamps: number[] = [performance.now()];
  const recorded = () => (tf.engine().state as unknown as { activeProfile: { kernels: Recorded[] } }).activeProfile.kernels;
  // (The loop also asks once more after the epoch: a call with no new kernels marks no step.)
  const shouldStop = () => {
    if (recorded().length !== ends[ends.length - 1]) (ends.push(recorded().length), stamps.push(performance.now()));
    return false;
  };
  const info = await tf.profile(async () => void (await train(model, data, trainSpec(batch), 1, { onEpoch: () => {}, shouldStop })) as never);
  model.dispose();
  const kernels = info.kernels as unknown as Recorded[];
  // The first slice also holds the optimizer's set-up (its zeroed moments): it is left out.
  const perStep = ends.slice(1).map((end, i) => kernels.slice(ends[i], end));
  const sameOrder = perStep.every((s) => s.length === perStep[0].length && s.every((k, j) => k.name === perStep[0][j].name));
  if (!sameOrder) throw new Error(`steps dispatched different kernels: cannot align calls (${perStep.map((s) => s.length)})`);
  const byName = new Map<string, KernelProfile>();
  perStep[0].forEach((k, j) => {
    const times = perStep.map((s) => s[j].kernelTimeMs as number);
    const e = byName.get(k.name) ?? { name: k.name, callsPerStep: 0, minMs: 0, medianMs: 0 };
    e.callsPerStep += 1;
    e.minMs += Math.min(...times);
    e.medianMs += median(times);
    byName.set(k.name, e);
  });
  const walls = stamps.slice(2).map((t, i) => t - stamps[i + 1]);
  return {
    workload, threads: report.threads ?? 1, steps: perStep.length, stepMinMs: Math.min(...walls), stepMedianMs: median(walls),
    kernels: [...byName.values()].sort((a, b) => b.minMs - a.minMs),
  };
}

if (require.main === module) {
  const [workload, threads, steps] = [process.argv[2] as Workload, Number(process.argv[3] ?? 1), Number(process.argv[4] ?? 20)];
  profileStep(workload, threads, steps).then((p) => {
    console.log(JSON.stringify(p));
    process.exit(0);
  });
}
