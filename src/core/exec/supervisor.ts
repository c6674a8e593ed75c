/**
 * The supervisor of an exec run: `node exec-worker.js <runDir>`, started detached by `launchRun`. Like
 * the training worker it owns its run folder while it lives (run.json with heartbeat, pid and start
 * time; log.txt; metrics.jsonl; system.jsonl; artifacts/), takes stop requests (SIGTERM, SIGINT, a
 * `stop` file) and exits 0 once run.json holds a final status. It runs the command in a process group of
 * its own, so a stop reaches the command's children too, copies its output into log.txt (and to the
 * parent, which echoes it), and tails the protocol file the command appends to.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { appendLog, appendMetric, dict, thisProcess, readRunRecord, RunFolderOwner, STOP_FILE, tryWrite } from '../store';
import { kindOf, type ExternalSpec, type RunRecord } from '../store/types';
import { HEARTBEAT_MS } from '../protocol';
import { startSystemSampler } from '../system-metrics';
import { copyArtifacts } from './artifacts';
import { execOutcome, type CommandEnd } from './outcome';
import { ProtocolTail } from './tail';
import { ExecTracker } from './track';
import { EXEC_FLOW_ENV, EXEC_STOP_GRACE_MS, PROTOCOL_FILE, type ExecMessage } from './index';
import { outputFlow, watchdog } from './guards';

// Stop requests count from the first moment: the first asks the command to stop, a second kills it.
let stopRequests = 0;
process.on('SIGTERM', () => stopRequests++).on('SIGINT', () => stopRequests++);

const runDir = resolve(process.argv[2] ?? '.');
const TICK_MS = 200;

const now = () => new Date().toISOString();
const send = (m: ExecMessage, then?: () => void) => {
  if (process.send && process.connected) process.send(m, undefined, {}, () => then?.());
  else then?.();
};
/** Whether log.txt ends with a newline: Hone's own lines start on a line of their own. */
let atLineStart = true;
const output = (text: string | Buffer) => {
  if (owner.gone || !text.length) return;
  tryWrite(() => appendLog(runDir, text));
  atLineStart = typeof text === 'string' ? text.endsWith('\n') : text[text.length - 1] === 0x0a;
};
const log = (text: string) => output(`${atLineStart ? '' : '\n'}${now()} hone: ${text}\n`);

/** run.json's writer (see RunFolderOwner): notes a crash mark made while it lived, notices a deleted folder. */
const owner = new RunFolderOwner(runDir, (text) => log(text), 'supervisor');
const persist = (rec: RunRecord): void => owner.persist(rec);

/** The command's environment: the protocol's variables, Hone's Python module on PYTHONPATH, unbuffered Python. */
function commandEnv(rec: RunRecord, params: Record<string, unknown>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, HONE_RUN_ID: rec.id, HONE_RUN_DIR: runDir, HONE_METRICS_FILE: join(runDir, PROTOCOL_FILE), HONE_PARAMS: JSON.stringify(params),
  };
  const sdk = resolve(__dirname, '../sdk/python');
  if (existsSync(join(sdk, 'hone.py'))) env.PYTHONPATH = [sdk, env.PYTHONPATH].filter(Boolean).join(delimiter);
  env.PYTHONUNBUFFERED ??= '1';
  // Said to this supervisor by its parent, not to whatever the command starts (another supervisor, whose
  // parent would not acknowledge output, would wait for ever).
  delete env[EXEC_FLOW_ENV];
  return env;
}

/** Whether process group `pgid` still has a process `ms` after now (polled every 100 ms). */
async function groupLingers(pgid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return false;
    }
    if (Date.now() >= end) return true;
  }
}

/** Signals the command's process group (the command and its children), or the command alone where groups do not exist. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
    try {
      return void process.kill(target, signal);
    } catch {
      // The group is gone; try the process.
    }
  }
}

async function main(): Promise<RunRecord> {
  const rec = readRunRecord(runDir);
  if (!rec) throw new Error(`no readable run.json in ${runDir}`);
  if (kindOf(rec) !== 'exec') throw new Error(`run ${rec.id} is a ${kindOf(rec)} run: the exec supervisor runs exec runs only`);
  const spec = rec.spec as ExternalSpec;
  const argv = spec.command ?? [];
  if (!argv.length) throw new Error(`run ${rec.id} has no command`);
  const cwd = spec.cwd ?? process.cwd();
  const tracker = new ExecTracker();
  tracker.params = dict(spec.params);
  const save = (patch: Partial<RunRecord>) => persist(Object.assign(rec, patch, { heartbeat: now() }));
  const results = (): Partial<RunRecord> => ({
    spec: { ...spec, params: tracker.params }, epochsDone: tracker.epochsDone, epochsPlanned: tracker.epochsDone,
    ...(tracker.count ? { latest: tracker.latest, final: tracker.final, best: tracker.best } : {}),
  });
  const t0 = Date.now();
  save({ status: 'running', ...thisProcess(), started: now() });
  const sampler = startSystemSampler(runDir);
  const protocolFile = join(runDir, PROTOCOL_FILE);
  tryWrite(() => writeFileSync(protocolFile, '', { flag: 'a' }));

  let stopLevel = 0;
  let stopWhy: string | undefined;
  const stopWanted = () => Math.max(stopRequests, existsSync(join(runDir, STOP_FILE)) ? 1 : 0, owner.gone ? 2 : 0);
  if (stopWanted() || !existsSync(cwd)) {
    const r = stopWanted() ? { status: 'stopped' as const, message: 'stopped before the command started' } : { status: 'failed' as const, message: `working folder not found: ${cwd}` };
    log(r.message);
    await sampler.stop();
    save({ ...r, finished: now() });
    return rec;
  }

  const child = spawn(argv[0], argv.slice(1), { cwd, env: commandEnv(rec, spec.params), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  const startMs = Date.now();
  const ended = new Promise<CommandEnd>((res) => {
    child.on('error', (e) => child.pid === undefined && res({ error: e }));
    child.once('exit', (code, signal) => res({ code, signal }));
  });
  const flow = outputFlow([child.stdout, child.stderr]);
  const streamsClosed = Promise.all([child.stdout, child.stderr].map((s, i) => new Promise<void>((res) => {
    const stream = i === 0 ? 'stdout' : 'stderr';
    s.on('data', (bytes: Buffer) => (output(bytes), flow.sent(bytes.length), send({ type: 'output', stream, bytes })));
    s.on('close', () => res()).on('error', () => res());
  })));
  const guard = child.pid !== undefined ? watchdog(child.pid) : undefined;
  if (child.pid !== undefined) {
    log(`started ${JSON.stringify(argv)} in ${cwd} (pid ${child.pid}); protocol file ${protocolFile}`);
    send({ type: 'spawned', pid: child.pid, command: argv });
  }

  const tail = new ProtocolTail(protocolFile, log);
  let dirty = false;
  const drain = (final: boolean) => {
    if (owner.gone) return;
    for (const line of tail.read(final)) {
      dirty = true;
      const metric = tracker.apply(line, (Date.now() - startMs) / 1000);
      if (!metric) continue;
      tryWrite(() => appendMetric(runDir, metric));
      send({ type: 'epoch', line: metric });
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  let lastSave = 0;
  const tick = setInterval(() => {
    const want = stopWanted();
    if (want >= 1 && stopLevel < 1 && child.pid !== undefined) {
      stopLevel = 1;
      stopWhy = owner.gone ?? 'stopped on request';
      log(`${stopWhy}: SIGTERM to process group ${child.pid}; SIGKILL in ${EXEC_STOP_GRACE_MS / 1000} s if it is still running`);
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => (stopRequests = Math.max(stopRequests, 2)), EXEC_STOP_GRACE_MS);
    } else if (want >= 2 && stopLevel < 2 && child.pid !== undefined) {
      stopLevel = 2;
      log('SIGKILL to process group ' + child.pid);
      signalGroup(child.pid, 'SIGKILL');
    }
    drain(false);
    if (dirty && Date.now() - lastSave >= 500) {
      dirty = false;
      lastSave = Date.now();
      tryWrite(() => save(results()));
    }
  }, TICK_MS);
  const beat = setInterval(() => tryWrite(() => save(results())), HEARTBEAT_MS);

  const end = await ended;
  clearTimeout(killTimer);
  // What is left in the pipes goes to log.txt now, however slowly the parent reads.
  flow.release();
  // The run is over: what the command left running in its group (data loaders, servers) goes with it.
  if (child.pid !== undefined && process.platform !== 'win32') {
    try {
      process.kill(-child.pid, 'SIGTERM');
      log(`SIGTERM to the processes the command left in its process group ${child.pid}`);
    } catch {
      // None left.
    }
  }
  // Output still in the pipes is read; a background child that holds them open is not waited for.
  await Promise.race([streamsClosed, new Promise((r) => setTimeout(r, 2000))]);
  // What ignores SIGTERM (a trap, a stuck loader) gets SIGKILL after a grace: nothing of the run outlives it.
  if (child.pid !== undefined && process.platform !== 'win32' && (await groupLingers(child.pid, 2000))) {
    log(`SIGKILL to the processes still in process group ${child.pid} after SIGTERM`);
    signalGroup(child.pid, 'SIGKILL');
  }
  guard?.dismiss();
  clearInterval(tick);
  clearInterval(beat);
  drain(true);
  for (const a of copyArtifacts(runDir, cwd, owner.gone ? [] : tracker.artifacts)) {
    log(a.problem ? `artifact ${a.path}: ${a.problem}` : `artifact ${a.path} saved as artifacts/${a.name}`);
  }
  const outcome = execOutcome(end, argv[0], stopWhy, tail.skipped, tail.rewrites);
  log(`${outcome.status}: ${outcome.message}`);
  await sampler.stop();
  const endMs = Date.now();
  save({ ...results(), ...outcome, finished: now(), timings: { loadMs: startMs - t0, trainMs: endMs - startMs, totalMs: endMs - t0 } });
  return rec;
}

main().then(
  // Exit only once the parent has the final message: exiting at once could drop it from the IPC pipe.
  (record) => send({ type: 'finished', record }, () => process.exit(owner.gone ? 4 : 0)),
  (e) => {
    process.stderr.write(`hone exec supervisor: ${(e as Error).message}\n`);
    process.exit(3);
  },
);
