/**
 * The coordinator's side of a remote run's folder: it is the one writer of the local run.json while the run
 * trains on an agent, and records what arrives from the queue (the agent taking it, metric lines, the final
 * record and files). Completion is idempotent: a run already final locally is never recorded again, so a job
 * that two agents finished (a stall that was not one) counts once.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  METRICS_FILE, thisProcess, parseMetricLine, readRunRecord, tryWrite, updateIndexEntry, withNumbers, writeRunRecord,
} from '../store';
import { FINAL_STATUSES, type MetricLine, type RunRecord } from '../store/types';
import { unpackArtifacts } from './artifacts';
import type { AgentIdentity, AgentProgress, JobResult } from './job';

const now = () => new Date().toISOString();

/** Fields of a remote run's record that only the coordinator writes (`remote` and `provenance` are merged apart). */
const COORDINATOR_FIELDS = [
  'id', 'kind', 'name', 'experiment', 'specPath', 'spec', 'overrides', 'seed', 'sweep', 'created', 'host', 'pid', 'pidStart',
  'epochsPlanned', 'parent', 'parentRemoved', 'federatedOrigin', 'revived', 'resumed',
] as const satisfies readonly (keyof RunRecord)[];

export class RemoteRunFolder {
  constructor(readonly storeDir: string, readonly dir: string, private readonly maxBytes: number) {}

  read = (): RunRecord | undefined => readRunRecord(this.dir);

  private write(rec: RunRecord, index = false): void {
    tryWrite(() => writeRunRecord(this.dir, rec));
    if (index) updateIndexEntry(this.storeDir, rec).catch(() => undefined);
  }

  /** Applies one progress report; returns the metric lines it carried, if it is the current attempt's. */
  progress(p: AgentProgress): MetricLine[] {
    const rec = this.read();
    if (!rec || FINAL_STATUSES.includes(rec.status) && rec.status !== 'crashed') return [];
    if (p.type === 'started') {
      const again = rec.remote?.agent && rec.remote.agent.attempt !== p.agent.attempt;
      // A job re-run after its agent stalled starts over: the first attempt's lines go.
      if (again) tryWrite(() => writeFileSync(join(this.dir, METRICS_FILE), ''));
      this.write(this.running(rec, p.agent, again ? { epochsDone: 0, latest: undefined } : {}), true);
      return [];
    }
    if (rec.remote?.agent?.attempt !== p.agent.attempt || !Array.isArray(p.lines)) return [];
    const parsed = p.lines.flatMap((text) => {
      const line = typeof text === 'string' ? parseMetricLine(text) : undefined;
      return line ? [{ text, line }] : [];
    });
    if (!parsed.length) return [];
    tryWrite(() => appendFileSync(join(this.dir, METRICS_FILE), parsed.map((x) => x.text + '\n').join('')));
    const last = parsed[parsed.length - 1].line;
    this.write({ ...rec, epochsDone: last.epoch, latest: last.metrics, heartbeat: now() });
    return parsed.map((x) => x.line);
  }

  /** The record back to `running` on `agent` (also after a coordinator that died left it marked crashed). */
  running(rec: RunRecord, agent: AgentIdentity | undefined, patch: Partial<RunRecord> = {}): RunRecord {
    const out: RunRecord = { ...rec, ...patch, status: agent ? 'running' : 'queued', heartbeat: now(), ...thisProcess(), remote: { queue: rec.remote!.queue, ...(agent && { agent }) } };
    if (agent) out.started ??= now();
    delete out.finished;
    delete out.message;
    return out;
  }

  /** Marks the run live again after a coordinator restart: `queued` or `running` as its job now is. */
  reattach(agent: AgentIdentity | undefined): void {
    const rec = this.read();
    if (rec && (!FINAL_STATUSES.includes(rec.status) || rec.status === 'crashed')) this.write(this.running(rec, agent), true);
  }

  /** Records a finished job (files first, then run.json); a run already final is left as it is. */
  async complete(result: JobResult): Promise<RunRecord | undefined> {
    const rec = this.read();
    if (!rec || (FINAL_STATUSES.includes(rec.status) && rec.status !== 'crashed')) return rec;
    unpackArtifacts(this.dir, result.files, this.maxBytes);
    const agentRec = withNumbers(JSON.parse(result.record) as RunRecord);
    // A job ends with its run ended: a record that says otherwise must not leave the run live here for ever.
    const ended = FINAL_STATUSES.includes(agentRec.status) ? {} : { status: 'failed' as const, message: `agent ${result.agent.name} returned the run as '${String(agentRec.status).slice(0, 40)}', not ended` };
    const out: RunRecord = {
      ...agentRec,
      // What the run is, where it came from and who started it are the coordinator's, whatever the agent's
      // record says; the agent's own paths and host are its own. The agent adds how it ran and what it scored.
      ...Object.fromEntries(COORDINATOR_FIELDS.map((k) => [k, rec[k]])),
      // The data as the agent read it, under the coordinator's record of how the run was started.
      provenance: rec.provenance && { ...rec.provenance, data: agentRec.provenance?.data },
      remote: { queue: rec.remote!.queue, agent: result.agent },
      ...ended,
    };
    // Those the coordinator's record lacks (undefined above) are absent, whatever the agent's has.
    for (const k of [...COORDINATOR_FIELDS, 'provenance'] as const) if (rec[k] === undefined) delete out[k];
    writeRunRecord(this.dir, out);
    await updateIndexEntry(this.storeDir, out).catch(() => undefined);
    return out;
  }

  /** Ends the run without a result from an agent (refused, failed on the agent, gone from the queue, stopped while waiting). */
  async end(status: RunRecord['status'], message: string): Promise<RunRecord | undefined> {
    const rec = this.read();
    if (!rec || (FINAL_STATUSES.includes(rec.status) && rec.status !== 'crashed')) return rec;
    const out = { ...rec, status, message, finished: now() };
    this.write(out);
    await updateIndexEntry(this.storeDir, out).catch(() => undefined);
    return out;
  }
}
