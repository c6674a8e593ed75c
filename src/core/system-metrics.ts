/**
 * System metrics of a run, sampled by the process that owns it (training worker, exec supervisor) into
 * `runs/<id>/system.jsonl`: CPU and memory of the run's process tree, the machine's memory, and every
 * NVIDIA GPU's utilisation and memory when `nvidia-smi` is on PATH. Parsing is pure (tested on fixed
 * texts); the sampler around it never throws: a run does not fail for want of a metric.
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringifyJson } from './store/numbers';

export const SYSTEM_FILE = 'system.jsonl';
/** Seconds between samples: one line every 5 s, and a last one when the run ends. */
export const SYSTEM_INTERVAL_MS = 5000;
const GPU_TIMEOUT_MS = 2000;

/** One line of system.jsonl. `cpu` is percent of one core (400 = four busy cores). */
export interface SystemSample {
  /** Seconds since the sampler started (the run's start, give or take its set-up). */
  time: number;
  cpu: number;
  rssMB: number;
  memUsedMB: number;
  memTotalMB: number;
  /** Per GPU, in nvidia-smi's order; absent without nvidia-smi. Machine-wide, not the run's share. */
  gpu?: GpuSample[];
}

export interface GpuSample { util: number; memMB: number }

/** The fields of `/proc/<pid>/stat` Hone uses; times in clock ticks, rss in pages. */
export interface ProcStat { pid: number; ppid: number; ticks: number; childTicks: number; rssPages: number }

/**
 * Parses `/proc/<pid>/stat` (proc(5)). The command name (field 2) may hold spaces and parentheses, so
 * fields are counted from its last `)`: state is field 3, ppid 4, utime/stime 14-15, cutime/cstime
 * 16-17 (reaped children's), rss 24.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  const pid = parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/).map(Number);
  if (f.length < 22) return undefined;
  return { pid, ppid: f[1], ticks: f[11] + f[12], childTicks: f[13] + f[14], rssPages: f[21] };
}

/**
 * CPU ticks and resident pages of `root` and its descendants. Ticks include reaped children's (cutime,
 * cstime), so a child that exited between two samples still counts: each process's time is counted once,
 * by itself while it lives, by its parent once reaped.
 */
export function sumTree(stats: ProcStat[], root: number): { ticks: number; rssPages: number; processes: number } {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out = { ticks: 0, rssPages: 0, processes: 0 };
  const stack = stats.filter((s) => s.pid === root);
  for (let s = stack.pop(); s; s = stack.pop()) {
    out.ticks += s.ticks + s.childTicks;
    out.rssPages += s.rssPages;
    out.processes++;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** `ps -A -o pid=,ppid=,pcpu=,rss=` (macOS, BSD): CPU percent and RSS (KiB) summed over `root`'s tree. */
export function parsePsTree(text: string, root: number): { cpu: number; rssKB: number } {
  const rows = text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((r) => r.length === 4 && r.every(Number.isFinite));
  const stats = rows.map(([pid, ppid, cpu, rss]) => ({ pid, ppid, ticks: cpu, childTicks: 0, rssPages: rss }));
  const t = sumTree(stats, root);
  return { cpu: t.ticks, rssKB: t.rssPages };
}

/** `/proc/meminfo`: total and used (total minus MemAvailable) memory in KiB. */
export function parseMeminfo(text: string): { totalKB: number; usedKB: number } | undefined {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
  const total = field('MemTotal');
  const available = field('MemAvailable');
  if (!Number.isFinite(total) || !Number.isFinite(available)) return undefined;
  return { totalKB: total, usedKB: total - available };
}

/** `nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits`: one GPU a line. */
export function parseNvidiaSmi(text: string): GpuSample[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const [util, mem] = l.split(',').map((x) => Number(x.trim()));
    return { util: Number.isFinite(util) ? util : NaN, memMB: Number.isFinite(mem) ? mem : NaN };
  });
}

/** CPU percent from two tick counts `seconds` apart; never negative (a process left the tree). */
export const cpuPercent = (ticksBefore: number, ticksNow: number, seconds: number, clkTck: number): number =>
  seconds > 0 ? Math.max(0, ((ticksNow - ticksBefore) / clkTck / seconds) * 100) : 0;

const round1 = (x: number) => Math.round(x * 10) / 10;

/** `getconf NAME` as a number, or `fallback`. */
function getconf(name: string, fallback: number): number {
  try {
    const n = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 1000 }).trim());
    return n > 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

/** The process tree's CPU counter (ticks on Linux, ps's percent elsewhere) and RSS in MiB, now. */
type TreeReader = () => { counter: number; rssMB: number } | undefined;

function linuxTree(root: number): TreeReader {
  const clkTck = getconf('CLK_TCK', 100);
  const pageKB = getconf('PAGESIZE', 4096) / 1024;
  return () => {
    const stats: ProcStat[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const s = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
        if (s) stats.push(s);
      } catch {
        // It exited while the folder was read.
      }
    }
    const t = sumTree(stats, root);
    return t.processes ? { counter: t.ticks / clkTck, rssMB: (t.rssPages * pageKB) / 1024 } : undefined;
  };
}

function psTree(root: number): TreeReader {
  return () => {
    const t = parsePsTree(execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pcpu=,rss='], { encoding: 'utf8', timeout: 2000 }), root);
    return { counter: t.cpu, rssMB: t.rssKB / 1024 };
  };
}

function machineMemory(): { memUsedMB: number; memTotalMB: number } {
  try {
    const m = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return { memUsedMB: round1(m.usedKB / 1024), memTotalMB: round1(m.totalKB / 1024) };
  } catch {
    // Not Linux.
  }
  return { memUsedMB: round1((totalmem() - freemem()) / 2 ** 20), memTotalMB: round1(totalmem() / 2 ** 20) };
}

/** The nvidia-smi on PATH, if any. */
function findNvidiaSmi(): string | undefined {
  const names = process.platform === 'win32' ? ['nvidia-smi.exe'] : ['nvidia-smi'];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

function gpuSample(bin: string): Promise<GpuSample[] | undefined> {
  const args = ['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader,nounits'];
  return new Promise((res) => {
    execFile(bin, args, { timeout: GPU_TIMEOUT_MS, encoding: 'utf8' }, (err, out) => res(err ? undefined : parseNvidiaSmi(out)));
  });
}

export interface SystemSampler {
  /** Stops sampling after writing a last sample; resolves once it is written. */
  stop(): Promise<void>;
}

/**
 * Appends a SystemSample to `<runDir>/system.jsonl` every `intervalMs` and once more on `stop()`, for
 * the tree of process `root` (default this process: the owner of the run and, through it, its
 * command). Timers are unref'd: the sampler never keeps a process alive. On Linux CPU is measured
 * from /proc ticks between samples; elsewhere it is `ps`'s %cpu (its own averaging).
 */
export function startSystemSampler(runDir: string, o: { root?: number; intervalMs?: number } = {}): SystemSampler {
  const root = o.root ?? process.pid;
  const t0 = Date.now();
  let read: TreeReader;
  let prev: { counter: number; at: number } | undefined;
  let gpuBin: string | undefined;
  let gpuFailures = 0;
  try {
    read = process.platform === 'linux' && existsSync('/proc/self/stat') ? linuxTree(root) : psTree(root);
    gpuBin = findNvidiaSmi();
    const first = read();
    prev = first && { counter: first.counter, at: Date.now() };
  } catch {
    read = () => undefined;
  }
  const sample = async (): Promise<void> => {
    try {
      const now = Date.now();
      const tree = read();
      const cpu = !tree ? 0 : process.platform === 'linux' ? cpuPercent(prev?.counter ?? tree.counter, tree.counter, (now - (prev?.at ?? now)) / 1000, 1) : tree.counter;
      if (tree) prev = { counter: tree.counter, at: now };
      const line: SystemSample = { time: round1((now - t0) / 1000), cpu: round1(cpu), rssMB: round1(tree?.rssMB ?? 0), ...machineMemory() };
      if (gpuBin) {
        const gpu = await gpuSample(gpuBin);
        if (gpu) line.gpu = gpu;
        gpuFailures = gpu ? 0 : gpuFailures + 1;
        if (gpuFailures >= 3) gpuBin = undefined;
      }
      appendFileSync(join(runDir, SYSTEM_FILE), stringifyJson(line) + '\n');
    } catch {
      // A full disk, a deleted run folder, a ps that failed: this sample is lost, the run goes on.
    }
  };
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      pending = sample().then(() => (stopped ? undefined : schedule()));
    }, o.intervalMs ?? SYSTEM_INTERVAL_MS);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await pending;
      await sample();
    },
  };
}
