import { existsSync } from 'node:fs';
import { errCode } from './fs-util';
import { readRunRecord, writeRunRecord } from './record';
import type { RunRecord } from './types';
import { explainWriteError } from './writable';

/**
 * The writes of the one process that owns a run folder while it lives (a training worker, an exec
 * supervisor). Before each write it looks at what is on disk: a reader on another machine may have
 * marked the run crashed while this process was paused past the heartbeat limit. The process is alive,
 * so the run goes on, but the record keeps that it was declared dead (`revived`), so its status never
 * flips back unnoticed. A run folder deleted under it (`rm -rf`) makes `deleted` true: the owner then
 * stops quietly instead of failing on every write.
 */
export class RunFolderOwner {
  deleted = false;

  constructor(readonly runDir: string, private readonly log: (text: string) => void, private readonly role: string) {}

  persist(rec: RunRecord): void {
    if (this.deleted) return;
    const onDisk = readRunRecord(this.runDir);
    if (onDisk?.status === 'crashed' && rec.status === 'running') {
      const now = new Date().toISOString();
      rec.revived = { markedCrashed: onDisk.finished ?? now, reason: onDisk.message ?? 'crashed', resumed: now };
      this.log(`this run was marked crashed (${rec.revived.reason}) while its ${this.role} was alive; it goes on`);
    }
    try {
      writeRunRecord(this.runDir, rec);
    } catch (e) {
      if (errCode(e) !== 'ENOENT' || existsSync(this.runDir)) throw explainWriteError(e, `run.json in ${this.runDir}`);
      this.deleted = true;
    }
  }
}
