/** Derived defaults of the `federated` section: values the schema cannot state because they depend on another field. */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Adaptive server optimisers move every weight by about eta per round: Reddi et al. 2021 tune eta near 10^-2. */
const ADAPTIVE = new Set(['fedadam', 'fedyogi', 'fedadagrad']);

/** Fills `federated.serverLr` in place: 0.01 for the adaptive server optimisers, else 1 (plain averaging). */
export function fillFederatedDefaults(spec: Obj): void {
  const f = spec.federated;
  if (!isObj(f) || f.serverLr !== undefined) return;
  f.serverLr = ADAPTIVE.has(f.algorithm as string) ? 0.01 : 1;
}
