// Bundles every entry point with esbuild into dist/. TF.js stays external: its wasm backend
// loads .wasm files from its own package folder, and tfjs-node(-gpu) is optional.
import { build } from 'esbuild';

const entries = {
  cli: 'src/cli/main.ts',
  worker: 'src/engine/worker.ts',
};

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['@tensorflow/*', 'vscode', 'webgpu'],
  logLevel: 'warning',
});
