// Bundles every entry point with esbuild into dist/. TF.js is bundled too, and the wasm backend's
// binaries are copied beside the bundles, so the packaged extension ships no node_modules. Optional
// native/GPU backends stay external: they are loaded only when the user has installed them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
// The threaded build's emscripten glue: each pthread of a multi-threaded run evaluates it from disk
// (src/engine/threads/pthread-files.ts).
copyFileSync(join(wasmDist, '../wasm-out/tfjs-backend-wasm-threaded-simd.js'), join('dist', 'tfjs-backend-wasm-threaded-simd.js'));

// The editor's schema (src/extension/editor-schema.ts): schema/hone.schema.json with its docs, defaults and
// values for hover and completion, without the keywords VS Code would validate with (Hone's diagnostics
// report every problem, in the CLI's words). package.json's jsonValidation points at it.
const gen = await build({ entryPoints: ['src/extension/editor-schema.ts'], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
const { editorSchema } = await import(`data:text/javascript;base64,${Buffer.from(gen.outputFiles[0].text).toString('base64')}`);
writeFileSync('dist/hone.editor.schema.json', JSON.stringify(editorSchema(JSON.parse(readFileSync('schema/hone.schema.json', 'utf8'))), null, 1) + '\n');
