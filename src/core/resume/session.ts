/**
 * A run's latest training session, counted from its worker's start. A fresh run's worker records
 * `started`; a resumed run keeps that first start, and the worker of each resume records its own start
 * in the resume's entry. Either way a wait for a free slot (hone.maxParallelRuns) between being queued
 * and the worker's start is not counted as training. Pure: no store, no TF.js.
 */
import type { RunRecord } from '../store/types';

/** What a worker records as it starts, at ISO time `at`: the run's first start and, after a resume, its own start in the latest `resumed` entry. */
export function workerStart(rec: RunRecord, at: string): Pick<RunRecord, 'started' | 'resumed'> {
  const last = rec.resumed?.at(-1);
  return { started: rec.started ?? at, ...(last && { resumed: [...rec.resumed!.slice(0, -1), { ...last, started: at }] }) };
}

/**
 * The run's latest session: when its worker started (undefined for a resume whose worker never did:
 * stopped or crashed while queued) and the milliseconds trained before it (a resume's `time`); undefined
 * when either is unknown: a fresh run not started, a resume recorded without `time`. A resume recorded
 * by a Hone from before its worker's start was kept counts from the resume (`at`), queue wait included.
 */
export function latestSession(rec: RunRecord): { started?: string; priorMs: number } | undefined {
  const resume = rec.resumed?.at(-1);
  if (!resume) return rec.started ? { started: rec.started, priorMs: 0 } : undefined;
  if (resume.time === undefined) return undefined;
  // prepareResume drops the heartbeat and the worker's first write sets it with `started`: a heartbeat without a start is an older worker's.
  return { started: resume.started ?? (rec.heartbeat ? resume.at : undefined), priorMs: Math.round(resume.time * 1000) };
}
