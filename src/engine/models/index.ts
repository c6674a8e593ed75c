export { buildModel, describeModel, hiddenLayers, type ModelIO } from './build';
export { forward, reseedDropout } from './forward';
export { honeMetadata, preprocessingOf, rawInputModel, type Preprocessing } from './preprocess';
export { saveModel } from './save';
