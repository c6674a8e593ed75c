// hone show on a run trained by a queue agent: the backends skipped are listed under the backend line,
// not under the agent's (which made them read as the agent's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone } from '../helpers/cli';
import { completedRun } from '../helpers/store-fixtures';
import type { RunRecord } from '../../src/core/store/types';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

test('hone show: backend, its skipped backends, then the agent', () => {
  const store = join(dir, 'store');
  const { record } = completedRun(store, {
    backend: { name: 'wasm', reason: 'first backend that works here', skipped: { tensorflow: 'not installed', webgpu: 'no adapter' } },
    remote: { queue: 'redis://localhost:6379/hone', agent: { name: 'agent-1', host: 'box', attempt: '1' } },
  } as Partial<RunRecord>);
  const r = hone(['show', record.id, '--store', store]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('backend '));
  assert.deepEqual(lines.slice(at, at + 5), [
    'backend   wasm (first backend that works here)',
    '  skipped:',
    '    tensorflow: not installed',
    '    webgpu: no adapter',
    'agent     agent-1 on box, queue redis://localhost:6379/hone',
  ]);
});
