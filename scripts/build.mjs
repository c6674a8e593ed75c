// Bundles every entry point with esbuild into dist/. TF.js is bundled too, and the wasm backend's
// binaries are copied beside the bundles, so the packaged extension ships no node_modules. Optional
// native/GPU backends stay external: they are loaded only when the user has installed them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ESM builds first: jsonc-parser's UMD build requires its own files at run time, which a bundle lacks.
  mainFields: ['module', 'main'],
  sourcemap: true,
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', '@tensorflow/tfjs-backend-webgpu'],
  logLevel: 'warning',
  // Activation time is measured from the moment the bundle starts loading (extension.ts reports it).
  banner: { js: 'globalThis.__honeLoadStart = performance.now();' },
};

// The worker and the extension ship in the .vsix without node_modules: TF.js is bundled in. The exec
// supervisor (`hone exec`, no TF.js) ships with them: the extension starts it too; so does the evaluate
// worker (`hone attack`, "Evaluate Robustness...": engine/robust/worker.ts).
await build({
  ...common,
  entryPoints: { worker: 'src/engine/worker-entry.ts', extension: 'src/extension/extension.ts', 'exec-worker': 'src/core/exec/supervisor.ts', 'robust-worker': 'src/engine/robust/worker-entry.ts' },
});
// The CLI runs from an npm install (node_modules present) and needs TF.js only for `hone backend`:
// keeping it external keeps every other command's start-up fast.
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, external: [...common.external, '@tensorflow/*'] });

// The dashboard webview: browser code, one classic script (dist/webview.js) and its CSS (dist/webview.css),
// loaded by the extension's webview or inlined by `hone dashboard`.
await build({
  entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist', bundle: true, platform: 'browser', format: 'iife',
  target: 'chrome114', minify: true, legalComments: 'none', logLevel: 'warning',
});

const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
mkdirSync('dist', { recursive: true });
for (const f of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDist, f), join('dist', f));
