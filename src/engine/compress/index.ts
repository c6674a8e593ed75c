/**
 * Model compression (issue 13): pruning (magnitude, gradual or iterative, structured), quantization
 * (affine integers, float16, quantization-aware training), weight sharing (k-means), the packed format,
 * and the pipeline that runs them on a trained network. One technique per file; pure math apart from
 * the TF.js orchestration.
 */
export { magnitudeMasks, prunedCount, zerosIn, type MagnitudeConfig } from './magnitude';
export { isPruningStep, iterativeSparsity, polynomialOver, polynomialSparsity, type PolynomialSchedule } from './schedule';
export { flattenedKeep, removedUnits, sliceAxis, unitNorms, unitsToKeep, type StructuredConfig } from './structured';
export { affineQuantize, codesOnGrid, dequantize, type AffineConfig, type AffineQuantized } from './affine';
export { fromFloat16Bits, isFloat16Exact, roundToFloat16, toFloat16Bits, toFloat16Values } from './float16';
export { kmeans1d, type CentroidInit, type KMeansConfig, type KMeansResult } from './kmeans';
export { canonicalCodes, codeLengths, huffmanDecode, huffmanDecoder, huffmanEncode } from './huffman';
export { BitReader, BitWriter } from './bits';
export { encodeTensor, packModel } from './pack';
export { unpackModel } from './unpack';
export { GAP_FILL, MAGIC, VERSION, type AffineHint, type ModelJson, type PackedModel, type PackedWeight, type TensorHeader } from './packed-format';
export { tfjsFiles, toArtifacts, type ManifestEntry } from './tfjs-files';
export { folderArtifacts, networkOf, savedForm, type SavedForm } from './artifacts';
export { kernelLayers, kernelSparsity, readKernel, writeKernel, type KernelLayer } from './layers';
export { combine, maskConstraint, shareConstraint, type Constraint, type SharedLayer } from './constraints';
export { fakeQuantConstraint, fakeQuantize, quantizeKernels, type FakeQuant } from './fake-quant';
export { shrinkNetwork, type Shrunk } from './surgery';
export { measureLatency, type Latency, type LatencyConfig } from './latency';
export { layerSensitivity, type Sensitivity, type SensitivityConfig, type SensitivityRow } from './sensitivity';
export { compressModel, trainedKept, type CompressJob, type CompressOutcome } from './pipeline';
export { loadParent, type Parent } from './parent';
