/**
 * Defaults the schema cannot state because they depend on another field. Plain defaults are
 * filled by ajv from the schema itself (see schema.ts), so no default number lives in code.
 */

import { fillFederatedDefaults } from './defaults-federated';
import { fillRobustDefaults } from './checks-robust';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fills derived defaults in place: regression `informative` defaults to `features`; robustness step sizes (checks-robust.ts); `federated.serverLr`. */
export function fillDerivedDefaults(spec: unknown): void {
  if (isObj(spec)) {
    fillRobustDefaults(spec);
    fillFederatedDefaults(spec);
  }
  if (!isObj(spec) || !isObj(spec.data)) return;
  const data = spec.data;
  if (data.source === 'regression' && data.informative === undefined && Number.isInteger(data.features)) {
    data.informative = data.features;
  }
}
