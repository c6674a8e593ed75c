import { resolve } from 'node:path';
import { readRunRecord, runDirOf } from '../store';
import { FINAL_STATUSES } from '../store/types';
import { annotateRun } from '../store/annotations';
import { listSweepViews } from '../sweep/view';
import { MAX_POINTS, newSampler } from './downsample';
import { DASHBOARD_PROTOCOL, type HostMessage, type InitMessage, type SeriesMessage } from './protocol';
import { runDetail, runFile, runInfo } from './run-info';
import { parseWebviewMessage } from './validate';
import { runStamps, viewRecord } from './source';
import { SeriesTail } from './series-tail';

export interface FeedOptions {
  /** Points per series after downsampling (default 1,500). */
  maxPoints?: number;
  /** Bytes of log.txt sent with a run's detail (default 16 KiB). */
  logBytes?: number;
  /** Read the run folders only, never writing the store (an untrusted workspace); annotations are refused. */
  readOnly?: boolean;
}

/** What the host does with one webview message: post `messages` back, reveal `reveal`, open `open`, log `error`. */
export interface FeedReply {
  messages: HostMessage[];
  reveal?: string;
  /** A file to open in the editor (a run's git.diff). */
  open?: string;
  error?: string;
}

/**
 * The host side of the dashboard. It turns the store into the messages of `protocol.ts`, incrementally:
 * run summaries come from `syncIndex` (which stats finished runs and re-reads only changed run.json
 * files), and only runs whose run.json changed are sent again; metrics are read only for the runs the
 * webview watches, from the byte offset where the last read stopped, and downsampled as they stream in.
 * No vscode import: the extension calls `receive` with each webview message and `poll` on a timer or a
 * file-watcher event, and posts what they return. A watched run's series is a SeriesTail (series-tail.ts).
 */
export class DashboardFeed {
  /** Runs sent to the webview, with the run.json mtime they were sent at. */
  private readonly known = new Map<string, number>();
  /**
   * Runs sent as queued or running: each poll reads them again even when their run.json did not change,
   * since a dead worker changes nothing on disk where the store is not written (read-only, or a failed write).
   */
  private readonly active = new Set<string>();
  private readonly tails = new Map<string, SeriesTail>();
  private polling?: Promise<HostMessage[]>;
  /** Bumped by every `init`: a poll that began before one reads nothing after it (see pollOnce). */
  private generation = 0;
  /** The sweeps as last sent, as JSON: a poll sends them again only when this changes. */
  private sweepsSent = '';
  private readonly maxPoints: number;

  readonly storeDir: string;

  constructor(storeDir: string, private readonly opts: FeedOptions = {}) {
    // Absolute, so the paths in details and reveals do not depend on the host's working directory.
    this.storeDir = resolve(storeDir);
    this.maxPoints = opts.maxPoints ?? MAX_POINTS;
    newSampler(this.maxPoints); // validates maxPoints now rather than at the first watch
  }

  /** The `init` message with every run, newest first; the webview's `ready` asks for it (again after a reload). */
  async init(): Promise<InitMessage> {
    this.generation++;
    const summaries = await this.stamps();
    this.known.clear();
    this.active.clear();
    this.tails.clear();
    const runs = [];
    for (const s of summaries) {
      const info = this.read(s.id, s.mtimeMs);
      if (info) runs.push(info);
    }
    const sweeps = listSweepViews(this.storeDir);
    this.sweepsSent = JSON.stringify(sweeps);
    return { type: 'init', protocol: DASHBOARD_PROTOCOL, store: this.storeDir, runs, sweeps };
  }

  /**
   * What changed since the last call: one `runs` message for new, changed (status, epochs, metrics) and
   * removed runs, one `sweeps` message if any sweep changed, and one `series` message per watched run with new metric lines. Concurrent calls share
   * one pass over the store.
   */
  poll(): Promise<HostMessage[]> {
    return (this.polling ??= this.pollOnce().finally(() => (this.polling = undefined)));
  }

  /**
   * A poll that an `init` overtook (the page reloaded while the store was read) returns nothing and
   * touches nothing: its messages would go to the page that is gone, while the series lines it read
   * were then never sent to the new one, a gap in its curves.
   */
  private async pollOnce(): Promise<HostMessage[]> {
    const generation = this.generation;
    const summaries = await this.stamps();
    if (generation !== this.generation) return [];
    const upsert = [];
    const present = new Set<string>();
    for (const s of summaries) {
      present.add(s.id);
      if (this.known.get(s.id) === s.mtimeMs && !this.active.has(s.id)) continue;
      const wasActive = this.active.has(s.id) && this.known.get(s.id) === s.mtimeMs;
      const info = this.read(s.id, s.mtimeMs);
      // An unchanged active run is sent again only once it reads as ended (crashed: its worker died).
      if (info && (!wasActive || !this.active.has(s.id))) upsert.push(info);
    }
    const removed = [...this.known.keys()].filter((id) => !present.has(id));
    for (const id of removed) {
      this.known.delete(id);
      this.active.delete(id);
      this.tails.delete(id);
    }
    const out: HostMessage[] = upsert.length || removed.length ? [{ type: 'runs', upsert, removed }] : [];
    const sweeps = listSweepViews(this.storeDir);
    const sent = JSON.stringify(sweeps);
    if (sent !== this.sweepsSent) {
      this.sweepsSent = sent;
      out.push({ type: 'sweeps', sweeps });
    }
    for (const id of this.tails.keys()) {
      const m = this.tails.get(id)!.read();
      if (Object.keys(m.metrics).length) out.push(m);
    }
    return out;
  }

  private stamps(): ReturnType<typeof runStamps> {
    return runStamps(this.storeDir, this.opts.readOnly);
  }

  /** Run `id`'s summary as a view shows it (viewRecord), noted as sent at `mtimeMs`; undefined when unreadable. */
  private read(id: string, mtimeMs: number): ReturnType<typeof runInfo> | undefined {
    const rec = viewRecord(this.storeDir, id);
    if (!rec) return undefined;
    this.known.set(id, mtimeMs);
    if (FINAL_STATUSES.includes(rec.status)) this.active.delete(id);
    else this.active.add(id);
    return runInfo(rec);
  }

  /** Validates one message from the webview and answers it. Malformed messages get an `error` and no effect. */
  async receive(raw: unknown): Promise<FeedReply> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) return { messages: [], error: parsed.error };
    const msg = parsed.value;
    switch (msg.type) {
      case 'ready':
        return { messages: [await this.init()] };
      case 'watch':
        return { messages: this.watch(msg.runIds) };
      case 'detail': {
        const dir = runDirOf(this.storeDir, msg.runId);
        const rec = readRunRecord(dir);
        if (!rec) return { messages: [], error: `detail: no run '${msg.runId}' in ${this.storeDir}` };
        return { messages: [{ type: 'detail', runId: msg.runId, detail: runDetail(rec, dir, this.opts.logBytes) }] };
      }
      case 'reveal': {
        const dir = runDirOf(this.storeDir, msg.runId);
        const rec = readRunRecord(dir);
        const path = rec && runFile(rec, dir, msg.file);
        return path ? { messages: [], reveal: path } : { messages: [], error: `reveal: run '${msg.runId}' has no ${msg.file}` };
      }
      case 'openFile': {
        const dir = runDirOf(this.storeDir, msg.runId);
        const rec = readRunRecord(dir);
        const path = rec && runFile(rec, dir, msg.file);
        return path ? { messages: [], open: path } : { messages: [], error: `openFile: run '${msg.runId}' has no ${msg.file}` };
      }
      case 'annotate': {
        if (this.opts.readOnly) return { messages: [], error: 'annotate: this store is read-only here (an untrusted workspace)' };
        if (!readRunRecord(runDirOf(this.storeDir, msg.runId))) return { messages: [], error: `annotate: no run '${msg.runId}' in ${this.storeDir}` };
        const { type: _type, runId, ...edit } = msg;
        try {
          await annotateRun(this.storeDir, runId, edit);
        } catch (e) {
          return { messages: [], error: `annotate: ${(e as Error).message}` };
        }
        // The run's meta.json changed: the next poll sends it again, with its new tags, note or star.
        return { messages: await this.poll() };
      }
    }
  }

  /**
   * Sets the watched runs to `runIds`. Each newly watched run gets its whole series (read from byte 0);
   * runs no longer watched are forgotten. Unknown ids are ignored.
   */
  watch(runIds: string[]): SeriesMessage[] {
    const wanted = new Set(runIds);
    for (const id of [...this.tails.keys()]) if (!wanted.has(id)) this.tails.delete(id);
    const out: SeriesMessage[] = [];
    for (const id of wanted) {
      if (this.tails.has(id) || !this.known.has(id)) continue;
      const tail = new SeriesTail(id, runDirOf(this.storeDir, id), this.maxPoints, !this.opts.readOnly);
      this.tails.set(id, tail);
      out.push(tail.read());
    }
    return out;
  }
}
