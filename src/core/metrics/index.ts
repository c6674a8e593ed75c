/** Metric semantics: one registry of direction, unit and label (see registry.ts). */
export { betterOf, isBetter, metricInfo, updateBest, type Better, type MetricInfo, type Part } from './registry';
