// The Runs tree's refresh: re-reads never overlap, calls made during one are folded into one more read
// after it, and a failed read does not stop the next.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serialized } from '../../src/extension/serial';

/** An async job whose runs are logged and finished by hand, in any order. */
function jobs() {
  const log: string[] = [];
  const pending: { finish: (fail?: boolean) => void }[] = [];
  let active = 0;
  let most = 0;
  const fn = () => new Promise<void>((resolve, reject) => {
    const n = log.push(`start ${log.filter((l) => l.startsWith('start')).length + 1}`);
    most = Math.max(most, ++active);
    pending.push({ finish: (fail) => { active--; log.push(`end ${n}`); if (fail) reject(new Error('read failed')); else resolve(); } });
  });
  return { log, pending, fn, most: () => most };
}

const tick = () => new Promise((r) => setImmediate(r));

test('calls during a run wait for one more run after it, shared by all of them; runs never overlap', async () => {
  const j = jobs();
  const refresh = serialized(j.fn);
  const first = refresh();
  const [a, b, c] = [refresh(), refresh(), refresh()];
  assert.equal(a, b, 'the calls made meanwhile share one promise');
  assert.equal(b, c);
  await tick();
  assert.equal(j.pending.length, 1, 'the second run waits for the first');
  j.pending[0].finish();
  await first;
  await tick();
  assert.equal(j.pending.length, 2, 'one more run, not three');
  let settled = false;
  void a.then(() => (settled = true));
  await tick();
  assert.equal(settled, false, 'the callers are answered once the run after the first has ended');
  j.pending[1].finish();
  await a;
  assert.equal(j.most(), 1);
  // Idle again: the next call runs at once.
  const later = refresh();
  assert.equal(j.pending.length, 3);
  j.pending[2].finish();
  await later;
});

test('a failed run rejects its own caller only; the run queued behind it still happens', async () => {
  const j = jobs();
  const refresh = serialized(j.fn);
  const first = refresh();
  const queued = refresh();
  j.pending[0].finish(true);
  await assert.rejects(first, /read failed/);
  await tick();
  assert.equal(j.pending.length, 2);
  j.pending[1].finish();
  await queued;
  assert.equal(j.most(), 1);
});
