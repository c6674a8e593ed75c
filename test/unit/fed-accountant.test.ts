// The Rényi-DP accountant of DP-FedAvg (core/federated/accountant.ts) against published outputs of the
// accountants TF-Privacy and Opacus ship (sources below), and log(erfc) against scipy's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeRdp, RdpAccountant, rdpSubsampledGaussian, rdpToEpsilon } from '../../src/core/federated/accountant';
import { logErfc } from '../../src/core/federated/log-math';

const close = (a: number, b: number, rtol: number, what: string) => assert.ok(Math.abs(a - b) <= rtol * Math.abs(b), `${what}: ${a} vs ${b}`);

test('RDP of the Poisson-subsampled Gaussian: q 0.01, sigma 2.5, 50 steps (dp_accounting test values)', () => {
  // google/differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py,
  // test_compute_rdp_poisson_sampled_gaussian (rtol 1e-4 there), in the versions that still computed
  // fractional orders with the signed series of Mironov et al. 2019 (later versions sum absolute values,
  // a looser bound: 6.7058e-4 at order 1.5).
  const orders = [1.5, 2.5, 5, 50, 100, Infinity];
  const expected = [6.5007e-4, 1.0854e-3, 2.1808e-3, 2.3846e-2, 1.6742e2, Infinity];
  computeRdp(0.01, 2.5, 50, orders).forEach((r, i) => {
    if (expected[i] === Infinity) assert.equal(r, Infinity);
    else close(r, expected[i], 1e-4, `order ${orders[i]}`);
  });
});

test('RDP to (epsilon, delta): constant RDP 1.1 over orders 2..32 gives 1.32783806176 at order 32 (dp_accounting)', () => {
  // rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp ("compare with epsilon computed by hand").
  const orders = Array.from({ length: 31 }, (_, i) => i + 2);
  const r = rdpToEpsilon(orders, orders.map(() => 1.1), 1e-5);
  close(r.epsilon, 1.32783806176, 1e-10, 'epsilon');
  assert.equal(r.order, 32);
});

test('Opacus RDPAccountant: sigma 1.5, q 0.04, 2250 steps, delta 1e-5 gives epsilon 7.32911117143', () => {
  // pytorch/opacus, opacus/tests/accountants_test.py, test_rdp_accountant (assertAlmostEqual, 7 places),
  // with Opacus's default orders 1.1..10.9 by 0.1 and 12..63.
  const orders = [...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10), ...Array.from({ length: 52 }, (_, i) => 12 + i)];
  const a = new RdpAccountant(orders);
  a.step(0.04, 1.5, 2250);
  close(a.epsilon(1e-5), 7.32911117143, 1e-8, 'epsilon');
});

test('Opacus docstring: two mechanisms composed, orders 2..32, delta 1e-5 give epsilon 0.336 at order 23', () => {
  // opacus/accountants/analysis/rdp.py, module docstring: parameters [(1e-5, 1.0, 10), (1e-4, 3.0, 4)].
  const orders = Array.from({ length: 31 }, (_, i) => i + 2);
  const a = new RdpAccountant(orders);
  a.step(1e-5, 1.0, 10);
  a.step(1e-4, 3.0, 4);
  const r = rdpToEpsilon(orders, computeRdp(1e-5, 1, 10, orders).map((v, i) => v + computeRdp(1e-4, 3, 4, orders)[i]), 1e-5);
  assert.equal(r.epsilon.toFixed(3), '0.336');
  assert.equal(r.order, 23);
  assert.equal(a.epsilon(1e-5), r.epsilon);
});

test('edge cases: no sampling costs nothing, no noise costs everything, q = 1 is the plain Gaussian alpha / (2 sigma^2)', () => {
  assert.equal(rdpSubsampledGaussian(0, 1, 2), 0);
  assert.equal(rdpSubsampledGaussian(0.1, 0, 2), Infinity);
  close(rdpSubsampledGaussian(1, 2, 3), 3 / 8, 1e-15, 'q = 1');
  const a = new RdpAccountant();
  a.step(0.1, 0);
  assert.equal(a.epsilon(1e-5), Infinity);
  // More rounds, more epsilon; more noise, less.
  const eps = (sigma: number, steps: number) => {
    const acc = new RdpAccountant();
    acc.step(0.1, sigma, steps);
    return acc.epsilon(1e-5);
  };
  assert.ok(eps(1, 100) > eps(1, 10) && eps(2, 100) < eps(1, 100));
});

test('log(erfc(x)) to 1e-10 against scipy (log(2) + log_ndtr(-x sqrt 2)), far into the tail', () => {
  const scipy: [number, number][] = [
    [-2, 0.6908055736465877], [0, 0], [0.5, -0.7350111298370848], [1, -1.849605509933249], [2.9, -10.099554065545236],
    [3, -10.720363041981116], [3.1, -11.360319632044744], [5, -27.200889545537446], [10, -102.87988902484493], [30, -903.9741171106442],
  ];
  for (const [x, want] of scipy) assert.ok(Math.abs(logErfc(x) - want) <= 1e-10 * Math.max(1, Math.abs(want)), `logErfc(${x}) = ${logErfc(x)}, scipy ${want}`);
});
