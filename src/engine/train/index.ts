export { train, type TrainHooks, type TrainResult } from './loop';
export { createOptimizer, type Optimizer, type OptimizerConfig, type OptimizerState } from './optimizers';
export { learningRateAt, type StepClock } from './schedule';
export { dataLoss, penalty, isPenalized } from './objective';
export { evaluate } from './evaluate';
export { earlyStoppingStep, higherIsBetter } from './early-stopping';
export { clipByGlobalNorm } from './clip';
export { type TrainCheckpoint } from './checkpoint';
export { loadTrainCheckpoint, saveTrainCheckpoint } from './checkpoint-io';
