// Child process for store tests that need several real processes:
//   rewrite <runDir> <count>    rewrites run.json <count> times with payloads of varying size
//   index <storeDir> <count> <tag>   creates <count> runs and upserts each into the index
import { createRun, readRunRecord, updateIndexEntry, writeRunRecord } from '../../src/core/store';
import { fakeRun } from './store-fixtures';

async function main(): Promise<void> {
  const [mode, dir, countText, tag] = process.argv.slice(2);
  const count = Number(countText);
  if (mode === 'rewrite') {
    const rec = readRunRecord(dir);
    if (!rec) throw new Error(`no run.json in ${dir}`);
    for (let i = 0; i < count; i++) {
      // Sizes from a few bytes to ~200 KB, so many writes span several pages and write() calls.
      writeRunRecord(dir, { ...rec, epochsDone: i, message: 'x'.repeat((i * 7919) % 200_000) });
    }
  } else if (mode === 'index') {
    for (let i = 0; i < count; i++) {
      const { record } = createRun(dir, fakeRun({ name: `${tag}-${i}`, experiment: `exp-${tag}` }));
      await updateIndexEntry(dir, record);
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
