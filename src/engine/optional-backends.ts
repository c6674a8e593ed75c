import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendDir } from '../core/backends/dir';

/**
 * Where an optional package resolves: Hone's own node_modules first, then the backend folder that
 * `hone backend install` fills. A package found in the folder loads its own copy of tfjs-core, which
 * shares Hone's engine and kernel registry (TF.js keeps both on the global object), so the backend it
 * registers is visible here as long as the versions match, as the installer makes sure.
 */
function locate(pkg: string): { path: string; load: NodeJS.Require } | undefined {
  for (const base of [__filename, join(backendDir(), 'package.json')]) {
    const req = createRequire(base);
    try {
      return { path: req.resolve(pkg), load: req };
    } catch {
      // not in this place
    }
  }
  return undefined;
}

const missing = (pkg: string, note: string, install: string) =>
  new Error(`${pkg} is not installed (optional: ${note}; \`hone backend install ${install}\` installs it into ${backendDir()})`);

/** Requires an optional package: "not installed" when absent, its own load error when present but broken. */
export function requireOptional(pkg: string, note: string, install: string): unknown {
  const found = locate(pkg);
  if (!found) throw missing(pkg, note, install);
  return found.load(pkg);
}

/**
 * Makes WebGPU available to @tensorflow/tfjs-backend-webgpu through the npm package `webgpu` (Dawn, an
 * ES module), then loads that backend. Throws when Dawn finds no GPU adapter.
 */
export async function loadWebGpu(): Promise<void> {
  const dawn = locate('webgpu');
  if (!dawn) throw missing('webgpu', 'Dawn for Node, prebuilt in the npm package', 'webgpu');
  const { create, globals } = await import(pathToFileURL(dawn.path).href);
  const gpu = create([]);
  if (!(await gpu.requestAdapter())) throw new Error('webgpu (Dawn) found no GPU adapter: it needs a GPU with a Vulkan (Linux), Metal or D3D12 driver');
  Object.assign(globalThis, globals);
  const g = globalThis as { navigator?: object };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  requireOptional('@tensorflow/tfjs-backend-webgpu', 'the TF.js WebGPU backend', 'webgpu');
}
