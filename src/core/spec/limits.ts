/**
 * What a spec may ask of the machine, beyond each field's own range in schema/hone.schema.json (whose
 * maxima the spec-schema test keeps in step with these where both state one). Every limit here is
 * checked before anything starts, so a spec that passes can load, build and train.
 */
export const LIMITS = {
  /** Bytes of a spec file. */
  specBytes: 2 ** 20,
  /** Levels of nested objects and arrays in a spec or a `--set` value. */
  depth: 64,
  /** Items of an array, properties of an object: the largest maxItems in the schema. */
  entries: 256,
  /** Problems listed per spec; one more line counts the rest. */
  problems: 50,
  /** Values the generators hold: samples × features (200 MB as float32), and classes × informative. */
  dataValues: 50_000_000,
  /** Bytes of a data file once decompressed (CSV, IDX). */
  dataBytes: 256 * 2 ** 20,
  /** Bytes of a CSV file scanned for bad cells before a run; the rest of a larger file is checked as it loads. */
  csvScanBytes: 8 * 2 ** 20,
  /** Classes of a classification task (the schema's data.classes maximum; a CSV target too). */
  classes: 1000,
  /** Weights of a model: 128 MiB as float32, about 512 MiB with gradients and Adam's two moments. */
  params: 2 ** 25,
  /** Activations of one batch, summed over layers: 1 GiB as float32. */
  batchActivations: 2 ** 28,
  /** Combinations a grid sweep may have (the schema's sweep.trials maximum), and trials a sweep may run. */
  gridCombinations: 100_000,
  /** Trials training at once in a sweep (the schema's sweep.parallel maximum; `hone sweep --parallel` too). */
  sweepParallel: 1024,
  /** Rows run through the model at once when evaluating (engine/train/evaluate.ts). */
  evalBatch: 2048,
} as const;
