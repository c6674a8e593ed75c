/** Adversarial robustness, the pure and store-side parts (the attacks themselves are in engine/robust). */
export { ATTACK_INFO, ATTACK_NAMES, type AttackInfo } from './catalog';
export { clopperPearson } from './ci';
export { comparable, describeEvaluation, evaluationOf, headlineEps, labelled, metricCondition } from './condition';
export { FLAG_RULES, redFlags } from './flags';
export { epsMetric, robustMetrics } from './metrics';
export type { AttackTally, Diagnostics, EpsResult, FlagId, RedFlag, RobustnessRecord, RobustReport, TrainingReport } from './report';
export { inputRange, networkMap, type InputRange } from './space';
export { planEvaluation, queueEvaluation, ROBUST_WORKER, startEvaluation, type AttackRequest, type PlannedEvaluation } from './evaluate-run';
