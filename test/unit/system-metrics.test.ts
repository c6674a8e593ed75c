// System metrics (src/core/system-metrics.ts): the parsers on fixed /proc, ps and nvidia-smi texts with
// hand-computed answers, then the sampler live on this process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import {
  cpuPercent, parseMeminfo, parseNvidiaSmi, parseProcStat, parsePsTree, startSystemSampler, sumTree, SYSTEM_FILE, type SystemSample,
} from '../../src/core/system-metrics';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

// proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
// cutime cstime priority nice threads itrealvalue starttime vsize rss ...
const stat = (pid: number, comm: string, ppid: number, utime: number, stime: number, cutime: number, cstime: number, rss: number) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 500 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 1 0 303452 12345678 ${rss} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;

test('/proc/<pid>/stat: fields counted after the last parenthesis, whatever the command name holds', () => {
  assert.deepEqual(parseProcStat(stat(1234, 'my (weird) proc) S 9', 1, 150, 30, 10, 5, 2560)), { pid: 1234, ppid: 1, ticks: 180, childTicks: 15, rssPages: 2560 });
  assert.equal(parseProcStat('garbage'), undefined);
  assert.equal(parseProcStat('12 (x) S 1 2'), undefined, 'too few fields');
  if (existsSync('/proc/self/stat')) {
    const self = parseProcStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))!;
    assert.equal(self.pid, process.pid);
    assert.equal(self.ppid, process.ppid);
    assert.ok(self.rssPages > 0 && self.ticks >= 0);
  }
});

test('a process tree: the root and its descendants, reaped children counted through their parent', () => {
  const stats = [
    parseProcStat(stat(1, 'init', 0, 1000, 1000, 0, 0, 100))!,
    parseProcStat(stat(100, 'node', 1, 50, 10, 40, 2, 1000))!,
    parseProcStat(stat(101, 'python3', 100, 300, 20, 0, 0, 5000))!,
    parseProcStat(stat(102, 'python3 worker', 101, 100, 0, 0, 0, 3000))!,
    parseProcStat(stat(200, 'other', 1, 999, 999, 0, 0, 9999))!,
  ];
  assert.deepEqual(sumTree(stats, 100), { ticks: 50 + 10 + 40 + 2 + 320 + 100, rssPages: 9000, processes: 3 });
  assert.deepEqual(sumTree(stats, 102), { ticks: 100, rssPages: 3000, processes: 1 });
  assert.deepEqual(sumTree(stats, 999), { ticks: 0, rssPages: 0, processes: 0 });
});

test('ps output (macOS, BSD): %cpu and rss summed over the tree', () => {
  const ps = ['    1     0   0.0  1234', '  100     1  50.5 20480', '  101   100  25.0 10240', '  102   101   1.5  1024', '  200     1  99.0 99999', ''].join('\n');
  assert.deepEqual(parsePsTree(ps, 100), { cpu: 77, rssKB: 31744 });
  assert.deepEqual(parsePsTree('', 100), { cpu: 0, rssKB: 0 });
});

test('/proc/meminfo: used is total minus available', () => {
  const text = 'MemTotal:       24684132 kB\nMemFree:         1234567 kB\nMemAvailable:   16098765 kB\nBuffers:          123 kB\n';
  assert.deepEqual(parseMeminfo(text), { totalKB: 24684132, usedKB: 24684132 - 16098765 });
  assert.equal(parseMeminfo('MemTotal: 10 kB\n'), undefined, 'kernels before 3.14 lack MemAvailable');
});

test('nvidia-smi csv: one GPU a line; [N/A] is NaN', () => {
  assert.deepEqual(parseNvidiaSmi('87, 10321\n0, 3\n'), [{ util: 87, memMB: 10321 }, { util: 0, memMB: 3 }]);
  assert.deepEqual(parseNvidiaSmi('[N/A], 512\n'), [{ util: NaN, memMB: 512 }]);
  assert.deepEqual(parseNvidiaSmi(''), []);
});

test('cpu percent: ticks over seconds; never negative', () => {
  assert.equal(cpuPercent(1000, 1150, 1.5, 100), 100);
  assert.equal(cpuPercent(1000, 1400, 2, 100), 200);
  assert.equal(cpuPercent(1000, 900, 2, 100), 0);
  assert.equal(cpuPercent(1000, 1100, 0, 100), 0);
});

test('the sampler writes plausible samples every interval and a last one on stop', async () => {
  const sampler = startSystemSampler(dir, { intervalMs: 150 });
  const end = Date.now() + 400;
  while (Date.now() < end) Math.sqrt(Math.random()); // busy: the next sample sees this process's CPU
  await new Promise((r) => setTimeout(r, 400));
  await sampler.stop();
  await sampler.stop();
  const lines = readFileSync(join(dir, SYSTEM_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SystemSample);
  assert.ok(lines.length >= 2, `${lines.length} samples`);
  for (const s of lines) {
    assert.ok(s.time >= 0 && s.cpu >= 0 && s.rssMB > 0, JSON.stringify(s));
    assert.ok(s.memTotalMB > 0 && s.memUsedMB > 0 && s.memUsedMB <= s.memTotalMB, JSON.stringify(s));
    if (s.gpu) for (const g of s.gpu) assert.ok(g.memMB >= 0, JSON.stringify(s));
  }
  assert.ok(lines.some((s) => s.cpu > 5), `a busy interval shows CPU: ${lines.map((s) => s.cpu).join(', ')}`);
  assert.deepEqual(lines.map((s) => s.time), lines.map((s) => s.time).sort((a, b) => a - b));
  const count = lines.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(readFileSync(join(dir, SYSTEM_FILE), 'utf8').trim().split('\n').length, count, 'nothing after stop');
});
