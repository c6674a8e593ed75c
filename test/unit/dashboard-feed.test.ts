// The dashboard feed against a real store on disk: what init sends, incremental reads by byte offset,
// change detection on run.json, and the answers to webview messages.
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, type HostMessage, type SeriesMessage } from '../../src/core/dashboard';
import { applyPatch } from '../../src/core/dashboard/downsample';
import type { SeriesPoints } from '../../src/core/dashboard/protocol';
import { atomicWriteFileSync } from '../../src/core/store/fs-util';
import { appendLog, appendMetric, createRun, METRICS_CACHE_FILE, readRunRecord, removeRun, writeRunRecord } from '../../src/core/store';
import type { MetricLine } from '../../src/core/store/types';
import { fakeMetric, fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const ofType = <T extends HostMessage['type']>(msgs: HostMessage[], type: T) => msgs.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);

/** What the webview holds: every patch applied, as webview/model.ts applies them; `apply` returns the last series message. */
function webviewSeries() {
  const shown = new Map<string, SeriesPoints>();
  const apply = (msgs: HostMessage[]) => {
    for (const m of ofType(msgs, 'series')) for (const [name, patch] of Object.entries(m.metrics)) {
      if (!shown.has(name)) shown.set(name, { step: [], epoch: [], time: [], y: [] });
      applyPatch(shown.get(name)!, patch);
    }
    return ofType(msgs, 'series').at(-1);
  };
  return { shown, apply };
}

/** A running run (heartbeat now, pid this process) with `epochs` metric lines. */
function runningRun(store: string, name: string, epochs: number) {
  const { record, dir } = createRun(store, fakeRun({ name, spec: { name, train: { l2: name.length } } as never }));
  writeRunRecord(dir, { ...record, status: 'running', started: new Date().toISOString(), heartbeat: new Date().toISOString() });
  for (let e = 1; e <= epochs; e++) appendMetric(dir, fakeMetric(e, { loss: 1 / e, val_accuracy: e / 100 }));
  return { id: record.id, dir };
}

describe('dashboard: feed', () => {
  let store: string;
  before(() => (store = makeTmpDir()));
  after(() => removeTmpDir(store));

  it('init sends every run with its info; watch sends whole series, downsampled', async () => {
    const a = runningRun(store, 'alpha', 3);
    const b = runningRun(store, 'beta', 40);
    const feed = new DashboardFeed(store, { maxPoints: 12 });
    const init = await feed.init();
    assert.equal(init.store, store);
    assert.deepEqual(init.runs.map((r) => r.name).sort(), ['alpha', 'beta']);
    const alpha = init.runs.find((r) => r.id === a.id)!;
    assert.equal(alpha.status, 'running');
    assert.deepEqual(alpha.spec, { name: 'alpha', train: { l2: 5 } });
    const [sa, sb] = feed.watch([a.id, b.id, 'no-such-run']);
    assert.equal(sa.runId, a.id);
    assert.equal(sa.lines, 3);
    assert.deepEqual(Object.keys(sa.metrics).sort(), ['loss', 'lr', 'val_accuracy']);
    assert.deepEqual(sa.metrics.loss, { from: 0, step: [20, 30, 40], epoch: [1, 2, 3], time: [1.5, 3, 4.5], y: [1, 1 / 2, 1 / 3] });
    assert.equal(sb.lines, 40);
    assert.ok(sb.metrics.loss.y.length <= 12, 'downsampled to maxPoints');
    assert.equal(sb.metrics.loss.y.at(-1), 1 / 40, 'the last point survives');
    assert.equal(sb.metrics.loss.y[0], 1, 'the maximum survives');
    assert.deepEqual(feed.watch([a.id, b.id]), [], 'watching the same runs sends nothing again');
  });

  it('reads new metric lines from its byte offset, and waits for a line to be complete', async () => {
    const r = runningRun(store, 'gamma', 2);
    const feed = new DashboardFeed(store);
    await feed.init();
    const [first] = feed.watch([r.id]);
    assert.deepEqual(first.metrics.loss.y, [1, 0.5]);
    // Blank out the lines already read (same length): a feed that re-read the file would lose them.
    const file = join(r.dir, 'metrics.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\n]/g, ' '));
    appendMetric(r.dir, fakeMetric(3, { loss: 0.25, val_accuracy: 0.03 }));
    const torn = JSON.stringify(fakeMetric(4, { loss: 0.2 }));
    appendFileSync(file, torn.slice(0, 25));
    const [patch] = ofType(await feed.poll(), 'series') as SeriesMessage[];
    assert.equal(patch.runId, r.id);
    assert.equal(patch.lines, 3);
    assert.deepEqual(patch.metrics.loss, { from: 2, step: [40], epoch: [3], time: [4.5], y: [0.25] });
    assert.deepEqual(ofType(await feed.poll(), 'series'), [], 'a torn line is not read');
    appendFileSync(file, `${torn.slice(25)}\n`);
    const [next] = ofType(await feed.poll(), 'series');
    assert.deepEqual(next.metrics.loss.y, [0.2]);
    assert.equal(next.metrics.loss.from, 3);
    feed.watch([]);
    appendMetric(r.dir, fakeMetric(5, { loss: 0.1 }));
    assert.deepEqual(ofType(await feed.poll(), 'series'), [], 'unwatched runs are not read');
  });

  it('a poll overtaken by an init (the page reloaded meanwhile) reads nothing: the new page gets every line, no gap', async (t) => {
    const r = runningRun(store, 'reloaded', 2);
    const feed = new DashboardFeed(store);
    await feed.init();
    feed.watch([r.id]);
    // The poll's store read is held until the page has reloaded and watched again; real ones just race.
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    const stamps = (feed as unknown as { stamps: () => Promise<unknown> }).stamps.bind(feed);
    t.mock.method(feed as unknown as { stamps: () => Promise<unknown> }, 'stamps', async () => {
      const out = stamps();
      await held;
      return out;
    }, { times: 1 });
    const stale = feed.poll();
    const page = webviewSeries();
    await feed.init();
    page.apply(feed.watch([r.id]));
    assert.deepEqual(page.shown.get('loss')!.epoch, [1, 2]);
    appendMetric(r.dir, fakeMetric(3, { loss: 1 / 3 }));
    release();
    assert.deepEqual(await stale, [], 'the overtaken poll sends nothing and reads no line');
    page.apply(await feed.poll());
    assert.deepEqual(page.shown.get('loss')!.epoch, [1, 2, 3], 'epoch 3 reaches the reloaded page');
  });

  it('reads a metrics.jsonl that shrank or was replaced (resume drops the lines after its checkpoint) again from the start', async () => {
    const r = runningRun(store, 'resumed', 3);
    appendMetric(r.dir, fakeMetric(4, { loss: 0.2, val_accuracy: 0.04, extra: 1 }));
    const feed = new DashboardFeed(store);
    await feed.init();
    const { shown, apply } = webviewSeries();
    apply(feed.watch([r.id]));
    assert.deepEqual(shown.get('loss')!.y, [1, 0.5, 1 / 3, 0.2]);
    const file = join(r.dir, 'metrics.jsonl');
    const kept = readFileSync(file, 'utf8').split('\n').slice(0, 2).join('\n') + '\n';
    // Replaced as resume replaces it (a new file renamed over the old), then longer again than the old one before the next poll.
    atomicWriteFileSync(file, kept);
    for (let e = 3; e <= 5; e++) appendMetric(r.dir, fakeMetric(e, { loss: 0.1 / e, val_accuracy: e / 50 }));
    let last = apply(await feed.poll())!;
    assert.equal(last.lines, 5);
    assert.deepEqual(shown.get('loss')!.y, [1, 0.5, 0.1 / 3, 0.1 / 4, 0.1 / 5], 'the dropped lines are gone, the new ones there');
    assert.deepEqual(shown.get('extra')!.y, [], 'a series only the dropped lines had is emptied');
    // Cut shorter in place (same file): read again from the start too.
    writeFileSync(file, kept);
    last = apply(await feed.poll())!;
    assert.equal(last.lines, 2);
    assert.deepEqual(shown.get('loss')!.y, [1, 0.5]);
    assert.deepEqual(shown.get('val_accuracy')!.epoch, [1, 2]);
    appendMetric(r.dir, fakeMetric(3, { loss: 0.3, val_accuracy: 0.03 }));
    last = apply(await feed.poll())!;
    assert.deepEqual([last.lines, last.metrics.loss.from, shown.get('loss')!.y], [3, 2, [1, 0.5, 0.3]], 'then tails from the new end as before');
  });

  it('sends the same series from the metrics cache as from parsing metrics.jsonl, whole or line by line', async () => {
    // 2,000 lines, downsampled to 40 points: sparse metrics, NaN and Infinity, an imported `lr` tag beside the learning rate.
    const lines: MetricLine[] = Array.from({ length: 2000 }, (_, k) => {
      const e = k + 1;
      const metrics: Record<string, number> = { loss: e % 97 === 0 ? NaN : 1 / e + (e % 7) / 100 };
      if (e % 3 === 0) metrics.val_accuracy = e % 300 === 0 ? -Infinity : (e % 11) / 10;
      if (e % 5 === 1) metrics.lr = 0.1 / e;
      if (e > 1500) metrics.late = e % 13;
      return { ...fakeMetric(e, metrics), lr: e === 700 ? Infinity : 0.01 / Math.ceil(e / 500) };
    });
    const s = makeTmpDir();
    try {
      const whole = createRun(s, fakeRun({ name: 'whole' }));
      for (const l of lines) appendMetric(whole.dir, l);
      const streamed = createRun(s, fakeRun({ name: 'streamed' }));
      appendMetric(streamed.dir, lines[0]);
      const watched = async (opts: { readOnly?: boolean }, id: string) => {
        const feed = new DashboardFeed(s, { maxPoints: 40, ...opts });
        await feed.init();
        return { feed, sent: feed.watch([id]) };
      };
      const cache = join(whole.dir, METRICS_CACHE_FILE);
      const parsed = JSON.stringify((await watched({ readOnly: true }, whole.record.id)).sent);
      assert.equal(existsSync(cache), false, 'a read-only feed writes no cache');
      assert.equal(JSON.stringify((await watched({}, whole.record.id)).sent), parsed, 'parsed, and the cache written');
      assert.ok(existsSync(cache));
      assert.equal(JSON.stringify((await watched({ readOnly: true }, whole.record.id)).sent), parsed, 'from the cache');
      assert.deepEqual(Object.keys(JSON.parse(parsed)[0].metrics), ['loss', 'lr', 'val_accuracy', 'late']);

      // The other run streams its lines through polls (JSON lines parsed as they come): the series it ends with are the same.
      const { feed, sent } = await watched({}, streamed.record.id);
      const { shown, apply } = webviewSeries();
      apply(sent);
      for (let k = 1; k < lines.length; k += 250) {
        for (const l of lines.slice(k, k + 250)) appendMetric(streamed.dir, l);
        apply(await feed.poll());
      }
      const series = (JSON.parse(parsed) as SeriesMessage[])[0].metrics;
      assert.deepEqual(JSON.stringify(Object.fromEntries(shown)), JSON.stringify(Object.fromEntries(Object.entries(series).map(([k, { from: _from, ...p }]) => [k, p]))));
    } finally {
      removeTmpDir(s);
    }
  });

  it('sends no lr series for a run without a learning rate (lr NaN), and one from where a later lr starts', async () => {
    const s = makeTmpDir();
    try {
      const line = (e: number, lr: number, metrics: Record<string, number>): MetricLine => ({ ...fakeMetric(e, metrics), lr });
      // An exec or imported run that reports no learning rate; and one whose lr (and a metric) start at line 3.
      const none = [1, 2, 3].map((e) => line(e, NaN, { loss: 1 / e }));
      const later = [line(1, NaN, { loss: 1 }), line(2, NaN, { loss: 0.5 }), line(3, 0.1, { loss: 0.4, acc: 0.7 }), line(4, 0.05, { loss: 0.3, acc: 0.8 })];
      const runs = [['none', none], ['later', later]] as const;
      for (const [name, lines] of runs) {
        const whole = createRun(s, fakeRun({ name }));
        for (const l of lines) appendMetric(whole.dir, l);
        const feed = new DashboardFeed(s, { readOnly: true });
        await feed.init();
        const [sent] = feed.watch([whole.record.id]) as SeriesMessage[];
        // The same lines streamed one poll at a time end as the same series, in the same order.
        const streamed = createRun(s, fakeRun({ name: `${name}-streamed` }));
        const tail = new DashboardFeed(s);
        await tail.init();
        const { shown, apply } = webviewSeries();
        apply(tail.watch([streamed.record.id]));
        for (const l of lines) {
          appendMetric(streamed.dir, l);
          apply(await tail.poll());
        }
        assert.deepEqual(JSON.stringify(Object.fromEntries(shown)), JSON.stringify(Object.fromEntries(Object.entries(sent.metrics).map(([k, { from: _from, ...p }]) => [k, p]))), name);
        if (name === 'none') assert.deepEqual(Object.keys(sent.metrics), ['loss'], 'no lr series');
        else {
          assert.deepEqual(Object.keys(sent.metrics), ['loss', 'acc', 'lr']);
          assert.deepEqual([sent.metrics.lr.step, sent.metrics.lr.y], [[40, 50], [0.1, 0.05]], 'from the first line with a learning rate');
        }
      }
    } finally {
      removeTmpDir(s);
    }
  });

  it('sends a run again only when its run.json changed, and says which runs went away', async () => {
    const s = makeTmpDir();
    try {
      const a = runningRun(s, 'one', 1);
      const b = runningRun(s, 'two', 1);
      const feed = new DashboardFeed(s);
      assert.equal((await feed.init()).runs.length, 2);
      assert.deepEqual(await feed.poll(), [], 'nothing changed');
      const rec = readRunRecord(a.dir)!;
      writeRunRecord(a.dir, { ...rec, status: 'completed', finished: new Date().toISOString(), final: { loss: 0.5 }, epochsDone: 1 });
      const c = createRun(s, fakeRun({ name: 'three' }));
      const polled = await feed.poll();
      assert.equal(polled.length, 1, 'one runs message, nothing else');
      const [runs] = ofType(polled, 'runs');
      // The changed run and the new one, each with what its run.json now says; the unchanged run two is not sent.
      assert.deepEqual(runs.upsert.map((r) => [r.id, r.name, r.status]).sort(), [[a.id, 'one', 'completed'], [c.record.id, 'three', 'queued']].sort());
      const one = runs.upsert.find((r) => r.id === a.id)!;
      assert.deepEqual([one.final, one.epochsDone, one.finished], [{ loss: 0.5 }, 1, readRunRecord(a.dir)!.finished]);
      assert.deepEqual(runs.upsert.find((r) => r.id === c.record.id)!.epochsDone, 0);
      assert.deepEqual(runs.removed, []);
      assert.deepEqual(await feed.poll(), [], 'sent once: nothing changed since');
      writeRunRecord(b.dir, { ...readRunRecord(b.dir)!, status: 'stopped' });
      await removeRun(s, b.id);
      const [gone] = ofType(await feed.poll(), 'runs');
      assert.deepEqual(gone, { type: 'runs', upsert: [], removed: [b.id] });
      assert.deepEqual(await feed.poll(), [], 'a removal is reported once');
    } finally {
      removeTmpDir(s);
    }
  });

  it('answers ready, detail and reveal; rejects malformed messages with no effect', async () => {
    const r = runningRun(store, 'delta', 1);
    appendLog(r.dir, 'line one\nline two\n');
    const feed = new DashboardFeed(store);
    const ready = await feed.receive({ type: 'ready' });
    assert.equal(ready.messages[0].type, 'init');
    const detail = await feed.receive({ type: 'detail', runId: r.id });
    const d = ofType(detail.messages, 'detail')[0].detail;
    assert.equal(d.runDir, r.dir);
    assert.equal(d.logTail, 'line one\nline two\n');
    assert.deepEqual(d.files.map((f) => f.file), ['folder', 'run', 'metrics', 'log'], 'no model saved yet, no spec file');
    assert.deepEqual(await feed.receive({ type: 'reveal', runId: r.id, file: 'log' }), { messages: [], reveal: join(r.dir, 'log.txt') });
    assert.match((await feed.receive({ type: 'reveal', runId: r.id, file: 'model' })).error!, /has no model/);
    const bad = await feed.receive({ type: 'watch', runIds: ['../../etc'] });
    assert.deepEqual(bad.messages, []);
    assert.match(bad.error!, /^message\.runIds\[0\]: expected a run id/);
    assert.match((await feed.receive({ type: 'detail', runId: 'missing-run' })).error!, /no run 'missing-run'/);
  });

  it('opens a run\'s git diff only inside its folder, whatever run.json names', async () => {
    const r = runningRun(store, 'diffed', 1);
    const outside = join(store, 'outside.txt');
    writeFileSync(outside, 'not the run\'s');
    writeFileSync(join(r.dir, 'git.diff'), 'diff --git a b\n');
    symlinkSync(outside, join(r.dir, 'link.diff'));
    const feed = new DashboardFeed(store);
    await feed.init();
    const withDiff = (diffFile: string) => writeRunRecord(r.dir, { ...readRunRecord(r.dir)!, provenance: { git: { commit: 'abc', dirty: true, diffFile } } as never });
    withDiff('git.diff');
    assert.deepEqual(await feed.receive({ type: 'openFile', runId: r.id, file: 'diff' }), { messages: [], open: join(r.dir, 'git.diff') });
    for (const name of [join('..', '..', 'outside.txt'), outside, 'link.diff', '.', '..']) {
      withDiff(name);
      assert.match((await feed.receive({ type: 'openFile', runId: r.id, file: 'diff' })).error!, /has no diff/, name);
      assert.match((await feed.receive({ type: 'reveal', runId: r.id, file: 'diff' })).error!, /has no diff/, name);
      const detail = ofType((await feed.receive({ type: 'detail', runId: r.id })).messages, 'detail')[0].detail;
      assert.ok(!detail.files.some((f) => f.file === 'diff'), `no diff link for ${name}`);
    }
  });

  it('read-only, a running run whose worker dies is sent again as crashed, though its run.json never changes', async () => {
    const s = makeTmpDir();
    // A stand-in worker: a live process with the run's id on its command line, as every worker has.
    const { record, dir } = createRun(s, fakeRun({ name: 'dies' }));
    const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', record.id], { stdio: 'ignore' });
    try {
      const now = new Date().toISOString();
      writeRunRecord(dir, { ...record, status: 'running', pid: worker.pid, pidStart: undefined, host: hostname(), started: now, heartbeat: now });
      const feed = new DashboardFeed(s, { readOnly: true });
      assert.deepEqual((await feed.init()).runs.map((r) => r.status), ['running']);
      assert.deepEqual(await feed.poll(), [], 'alive and unchanged: nothing to send');
      worker.kill('SIGKILL');
      await once(worker, 'exit');
      const [runs] = ofType(await feed.poll(), 'runs');
      assert.deepEqual(runs.upsert.map((r) => [r.id, r.status]), [[record.id, 'crashed']]);
      assert.equal(readRunRecord(dir)!.status, 'running', 'nothing written: the store is read-only here');
      assert.deepEqual(await feed.poll(), [], 'sent once');
    } finally {
      worker.kill('SIGKILL');
      removeTmpDir(s);
    }
  });
});
