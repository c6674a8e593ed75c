import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Runs a kernel already registered for `backendName` directly on `backend`, as TF.js's own kernels
 * compose each other: no engine bookkeeping, no tape. Every result is the caller's to free.
 */
export function callKernel(backendName: string, backend: KernelBackend, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`kernel '${name}' is not registered for backend '${backendName}'`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** Frees intermediate results of callKernel (reshapes share data, so this only drops a reference). */
export const free = (backend: KernelBackend, ...infos: TensorInfo[]): void => infos.forEach((t) => backend.disposeData(t.dataId));

/** Hands a kernel's arguments, typed by its own attrs interface, on to the kernel it wraps. */
export const delegate = (original: KernelConfig, args: unknown): TensorInfo => original.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
