/** Byte counts of files and of their gzip'd forms (level 9, each file on its own, as a web server sends them). */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Sum of the sizes of `files` on disk. */
export const fileBytes = (files: string[]): number => files.reduce((a, f) => a + statSync(f).size, 0);

/** The files of a saved TF.js model in folder `modelDir`: what a model's size (tfjs_bytes) counts. */
export const modelFiles = (modelDir: string): string[] => ['model.json', 'weights.bin'].map((f) => join(modelDir, f));

/** The size on disk of the TF.js model saved in folder `modelDir`. */
export const modelBytes = (modelDir: string): number => fileBytes(modelFiles(modelDir));

/** Sum of the gzip'd sizes of `buffers`. */
const gzipBytesOf = (buffers: Uint8Array[]): number => buffers.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0);

/** Sum of the gzip'd sizes of `files`. */
export const gzipBytes = (files: string[]): number => gzipBytesOf(files.map((f) => readFileSync(f)));
