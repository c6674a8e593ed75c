// Messages from the webview are untrusted: each malformed shape is rejected with the path of the problem.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MAX_WATCHED, parseWebviewMessage } from '../../src/core/dashboard';

const error = (raw: unknown) => {
  const r = parseWebviewMessage(raw);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(raw)}`);
  return (r as { error: string }).error;
};

describe('dashboard: webview message validation', () => {
  it('accepts each well-formed message unchanged', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'watch', runIds: [] },
      { type: 'watch', runIds: ['20261128-160137-1b7790', 'a.b_c-d'] },
      { type: 'detail', runId: '20261128-160137-1b7790' },
      { type: 'reveal', runId: 'r1', file: 'model' },
      { type: 'openFile', runId: 'r1', file: 'diff' },
      { type: 'annotate', runId: 'r1', addTags: ['baseline', 'a b'] },
      { type: 'annotate', runId: 'r1', removeTags: ['x'], note: '', starred: false },
    ]) assert.deepEqual(parseWebviewMessage(m), { ok: true, value: m });
  });

  it('rejects what is not a message', () => {
    assert.match(error(null), /^message: expected an object, found null$/);
    assert.match(error([{ type: 'ready' }]), /^message: expected an object/);
    assert.match(error('ready'), /^message: expected an object, found "ready"$/);
    assert.match(error({}), /^message\.type: expected one of ready, watch, detail, reveal, openFile, annotate, found undefined$/);
    assert.match(error({ type: 'eval', code: '1' }), /^message\.type: expected one of .*, found "eval"$/);
    assert.match(error({ type: 'toString' }), /^message\.type: /, 'inherited names are not message types');
  });

  it('rejects missing, extra and ill-typed fields with their path', () => {
    assert.match(error({ type: 'watch' }), /^message\.runIds: expected an array of run ids, found undefined$/);
    assert.match(error({ type: 'watch', runIds: 'r1' }), /^message\.runIds: expected an array/);
    assert.match(error({ type: 'watch', runIds: ['ok', 7] }), /^message\.runIds\[1\]: expected a run id .*, found 7$/);
    assert.match(error({ type: 'ready', extra: 1 }), /^message\.extra: not a field of 'ready'$/);
    assert.match(error({ type: 'detail', runId: 3 }), /^message\.runId: expected a run id/);
    assert.match(error({ type: 'reveal', runId: 'r1', file: '/etc/passwd' }), /^message\.file: expected one of folder, run, metrics, log, model, spec, diff, found "\/etc\/passwd"$/);
    assert.match(error({ type: 'reveal', runId: 'r1' }), /^message\.file: expected one of/);
  });

  it('checks annotations as the store would take them', () => {
    assert.match(error({ type: 'annotate', runId: 'r1' }), /^message: expected at least one of addTags, removeTags, note, starred in annotate, found none$/);
    assert.match(error({ type: 'annotate', runId: 'r1', addTags: 'x' }), /^message\.addTags: expected an array of at most 20 tags/);
    assert.match(error({ type: 'annotate', runId: 'r1', addTags: [' padded '] }), /^message\.addTags\[0\]: expected a tag without leading or trailing spaces/);
    assert.match(error({ type: 'annotate', runId: 'r1', addTags: ['a\u0007b'] }), /^message\.addTags\[0\]: expected a tag without control characters/);
    assert.match(error({ type: 'annotate', runId: 'r1', note: 'x'.repeat(10_001) }), /^message\.note: expected a note of at most 10000 characters/);
    assert.match(error({ type: 'annotate', runId: 'r1', starred: 'yes' }), /^message\.starred: expected true or false, found "yes"$/);
    assert.match(error({ type: 'annotate', runId: '../x', starred: true }), /^message\.runId: expected a run id/);
    assert.match(error({ type: 'annotate', runId: 'r1', starred: true, path: '/etc' }), /^message\.path: not a field of 'annotate'$/);
    assert.match(error({ type: 'openFile', runId: 'r1', file: '../../etc/passwd' }), /^message\.file: expected one of/);
  });

  it('rejects run ids that could leave the store', () => {
    for (const bad of ['../x', '..', '.', 'a/b', 'a\\b', '', 'x'.repeat(101), 'r1\n']) {
      assert.match(error({ type: 'detail', runId: bad }), /^message\.runId: expected a run id/, JSON.stringify(bad));
    }
    assert.match(error({ type: 'watch', runIds: ['ok', '../../etc'] }), /^message\.runIds\[1\]/);
  });

  it('caps how many runs can be watched', () => {
    const ids = Array.from({ length: MAX_WATCHED + 1 }, (_, i) => `r${i}`);
    assert.match(error({ type: 'watch', runIds: ids }), new RegExp(`^message\\.runIds: expected at most ${MAX_WATCHED} run ids, found ${MAX_WATCHED + 1}$`));
    assert.equal(parseWebviewMessage({ type: 'watch', runIds: ids.slice(1) }).ok, true);
  });
});
