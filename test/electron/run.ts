// The design card's runner: @vscode/test-electron downloads a VS Code build and runs suite.ts inside it.
// It needs internet access to that download, which this project's machines lack, so `make test` runs
// the equivalent code-server suite (test/integration) instead; run this one where VS Code can be
// downloaded: `npx tsx test/electron/run.ts` after `make build`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSync } from 'esbuild';

async function main(): Promise<void> {
  const workspace = mkdtempSync('/tmp/hone-electron-');
  writeFileSync(join(workspace, 'quick.hone.json'), JSON.stringify({
    name: 'quick', data: { source: 'digits', split: { train: 0.6, val: 0.2, test: 0.2 }, normalize: 'scale' },
    model: { type: 'mlp', layers: [16] }, train: { epochs: 2, lr: 0.01, batchSize: 64 },
  }));
  const suite = join(workspace, 'suite.js');
  buildSync({ entryPoints: [resolve(__dirname, 'suite.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', external: ['vscode'] });
  await runTests({
    extensionDevelopmentPath: resolve(__dirname, '../..'),
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
