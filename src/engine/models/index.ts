export { buildModel, describeModel, hiddenLayers, type ModelIO } from './build';
export { forward, reseedDropout } from './forward';
export { saveModel } from './save';
