/**
 * The compression and robustness metrics the runs table shows by default and Compare lists first (when runs
 * have them): compression ratio, packed size, sparsity, robust accuracy (headline eps, then each eps of the
 * curve, `eps_0.3/robust_accuracy`), latency. Their directions come from the registry, as every metric's.
 */
export const TRADEOFF_METRICS = ['compression_ratio', 'packed_bytes', 'sparsity', 'robust_accuracy', 'latency_b1_ms'];

const EPS = /^eps_[^/]+\/robust_accuracy$/;

export const isTradeoffMetric = (m: string): boolean => TRADEOFF_METRICS.includes(m) || EPS.test(m);

/** The trade-off metrics among `names`, in TRADEOFF_METRICS order with the per-eps ones after robust_accuracy (by eps). */
export function tradeoffMetrics(names: Iterable<string>): string[] {
  const have = new Set(names);
  const eps = [...have].filter((m) => EPS.test(m)).sort((a, b) => parseFloat(a.slice(4)) - parseFloat(b.slice(4)));
  return TRADEOFF_METRICS.flatMap((m) => (m === 'robust_accuracy' ? [...(have.has(m) ? [m] : []), ...eps] : have.has(m) ? [m] : []));
}
