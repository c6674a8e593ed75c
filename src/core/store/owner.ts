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
 * flips back unnoticed. The owner is `gone` (and stops quietly, writing nothing more) once its run folder is
 * deleted under it (`rm -rf`), once the run was resumed by another process meanwhile (declared crashed
 * from another machine while this one slept): the resumed run's worker owns the folder then, or when the
 * run was declared crashed before it ever started (its launcher died meanwhile; a sweep re-runs it).
 */
export class RunFolderOwner {
  /** Why this process no longer owns the folder; undefined while it does. */
  gone?: string;

  constructor(readonly runDir: string, private readonly log: (text: string) => void, private readonly role: string) {}

  /**
   * Whether `rec`, the record as this process first read it, is the session of the run it was started for
   * (`session` resumes: launchRun says which; undefined for a process started by hand). A worker whose
   * launcher was killed before the worker read run.json may find the run resumed again meanwhile: that
   * resume's own worker owns the folder, so this one is `gone` before it writes anything.
   */
  startedFor(rec: RunRecord, session: number | undefined): boolean {
    const resumes = rec.resumed?.length ?? 0;
    if (session === undefined || resumes === session) return true;
    this.log(`this ${this.role} was started for session ${session} of the run, which was resumed again meanwhile (at ${rec.resumed!.at(-1)!.at}); it leaves the run to that session's ${this.role}`);
    this.gone = `it was resumed again before this ${this.role} started`;
    return false;
  }

  /**
   * Whether `rec` (this process's record) still owns the folder: false, and `gone` set, when the record
   * on disk has a resume that `rec` lacks. Cheap (one read): called before each write of the run's files.
   */
  owns(rec: RunRecord, onDisk = readRunRecord(this.runDir)): boolean {
    if (this.gone) return false;
    const resumes = onDisk?.resumed?.length ?? 0;
    if (resumes <= (rec.resumed?.length ?? 0)) return true;
    const by = onDisk!.resumed!.at(-1)!;
    this.log(`this run was resumed at ${by.at} by process ${onDisk!.pid ?? '?'} on ${onDisk!.host} while its ${this.role} was alive; this ${this.role} stops and writes nothing more`);
    this.gone = `it was resumed by another process at ${by.at}`;
    return false;
  }

  persist(rec: RunRecord): void {
    if (this.gone) return;
    const onDisk = readRunRecord(this.runDir);
    if (!this.owns(rec, onDisk)) return;
    if (onDisk?.status === 'crashed' && !onDisk.started) {
      // Declared dead before it ever ran (its launcher died while it started): whoever declared it may
      // already have replaced it (a sweep re-runs such a trial), so it does not start after all.
      this.log(`this run was marked crashed (${onDisk.message ?? 'crashed'}) before its ${this.role} started; this ${this.role} does not run it`);
      this.gone = 'it was marked crashed before its worker started';
      return;
    }
    if (onDisk?.status === 'crashed' && rec.status === 'running') {
      const now = new Date().toISOString();
      rec.revived = { markedCrashed: onDisk.finished ?? now, reason: onDisk.message ?? 'crashed', resumed: now };
      this.log(`this run was marked crashed (${rec.revived.reason}) while its ${this.role} was alive; it goes on`);
    }
    try {
      writeRunRecord(this.runDir, rec);
    } catch (e) {
      if (errCode(e) !== 'ENOENT' || existsSync(this.runDir)) throw explainWriteError(e, `run.json in ${this.runDir}`);
      this.gone = 'its run folder was deleted';
    }
  }
}
