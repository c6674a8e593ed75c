import type { Spec } from '../core/spec/types';
import type { BackendReport } from '../core/store/types';
import { chooseBackend, requiredKernels } from './backend';
import { hiddenLayers } from './models';
import { isAuto } from './threads/count';
import { stepMacs } from './threads/step-macs';

/**
 * The backend a run of `spec` works on (training, or attacking its model): the spec's `backend` and
 * `threads` (auto: the run's fair share of the cores, one thread for a model too small to gain from
 * more), with the log line that says what was chosen and why.
 */
export async function backendForRun(spec: Spec): Promise<{ backend: BackendReport; line: string }> {
  const auto = isAuto(spec.threads, process.env);
  const backend = await chooseBackend(spec.backend, requiredKernels(hiddenLayers(spec.model, spec.train.dropout)), { threads: spec.threads, stepMacs: auto ? stepMacs(spec) : undefined });
  const threads = backend.threads ? `; ${backend.threads} thread${backend.threads > 1 ? 's' : ''} (${backend.threadsWhy})` : '';
  const skipped = Object.keys(backend.skipped).length ? `; skipped ${JSON.stringify(backend.skipped)}` : '';
  return { backend, line: `backend ${backend.name}: ${backend.reason}${threads}${skipped}` };
}
