/** The `hone.backend` setting as it applies to a run's spec. Pure (no vscode import), unit-tested in plain Node. */
import type { BackendChoice, BackendName, Spec } from '../core/spec/types';

/**
 * The spec a run trains with under `hone.backend`: the setting picks the backend of a spec that leaves it
 * to `auto` (what the setting's description promises); a spec that names a backend keeps it. `applied` is
 * the backend the setting put in, for the run's provenance; never an override, so it names no run.
 */
export function applyBackendSetting(spec: Spec, setting: BackendChoice): { spec: Spec; applied?: BackendName } {
  return spec.backend === 'auto' && setting !== 'auto' ? { spec: { ...spec, backend: setting }, applied: setting } : { spec };
}
