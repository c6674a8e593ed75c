/**
 * Compression at the core level (issue 13): the child runs `hone compress` makes, what a `compress`
 * section plans, layer names from a spec, size accounting, and the report (compress.json) and metrics a
 * compressed run leaves. No vscode, no TF.js (the techniques are in engine/compress).
 */
export { compressRun, prepareCompress, queueCompress, COMPRESSIBLE, type CompressRequest, type PreparedCompress } from './start';
export { describeCompress, plannedEpochs } from './plan';
export { packedFileOf, unpackToFolder } from './unpack';
export { namedLayers, type NamedLayer } from './layers';
export { fileBytes, gzipBytes } from './sizes';
export {
  COMPRESS_FILE, COMPRESS_METRICS, PACKED_FILE, compressMetrics, readCompressReport,
  type CompressReport, type LatencyReport, type LayerReport, type SensitivityReport, type Sizes,
} from './report';
