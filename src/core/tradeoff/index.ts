/**
 * Trade-offs between metrics (accuracy, size, robustness, latency) over runs, pure and free of Node and
 * vscode: the webview's Trade-offs view, `hone report` and the tests share it.
 *   values.ts   which number a run has for each metric (an evaluation run inherits its model's)
 *   scope.ts    the runs of a plot: ids, a sweep's completed trials, or all
 *   front.ts    objectives with registry directions, the non-dominated front (sweep/objectives' sort)
 *   scale.ts    linear and log axes, the brush in data space and its hit test
 *   lineage.ts  parent -> child edges among shown runs
 *   plot.ts     the default choice of axes and objectives, and a plot for a choice
 *   columns.ts  the compression and robustness metrics tables show by default
 */
export { metricCounts, runValues, trialValues, type RunValues, type TradeoffRun, type TradeoffTrial } from './values';
export { scopePoints, type Scope, type ScopedPoints, type TradeoffSweep } from './scope';
export { objectivesOf, paretoFront, type Front, type Objective } from './front';
export { axisFor, brushOf, inBrush, invert, plottable, project, type Axis, type Brush } from './scale';
export { lineageEdges, type Edge } from './lineage';
export { defaultChoice, logByDefault, tradeoffPlot, type TradeoffChoice, type TradeoffPlot } from './plot';
export { isTradeoffMetric, tradeoffMetrics, TRADEOFF_METRICS } from './columns';
