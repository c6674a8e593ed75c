// What crosses the queue, without Redis: URLs (parsed, passwords redacted), jobs (validated, a command
// refused, every problem named by its JSON path), artifacts (checksummed round trip, tampering and escapes refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packArtifacts, parseQueueUrl, redactUrl, unpackArtifacts, validateJob } from '../../src/core/queue';
import { validateSpec } from '../../src/core/spec';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { digitsSpec } from '../helpers/cli';

test('queue URLs: host, port, db, user, password and TLS parsed; the password never shown', () => {
  const a = parseQueueUrl('rediss://hone:p%40ss@redis.example:6380/2');
  assert.deepEqual(a.connection, { host: 'redis.example', port: 6380, db: 2, username: 'hone', password: 'p@ss', tls: { servername: 'redis.example' } });
  assert.equal(a.redacted, 'rediss://hone:***@redis.example:6380/2');
  assert.equal(a.hasPassword, true);
  assert.deepEqual(parseQueueUrl('redis://10.0.0.5').connection, { host: '10.0.0.5', port: 6379, db: 0 });
  assert.equal(redactUrl('--queue=redis://:s3cret@h:1 and https://u:pw@x/y'), '--queue=redis://:***@h:1 and https://u:***@x/y');
  // A password holding '@' or '/': the user info runs to the last '@', so no part of it shows.
  assert.equal(redactUrl('redis://u:p@ss@host:1'), 'redis://u:***@host:1');
  assert.equal(parseQueueUrl('redis://u:p@ss@host:1').redacted, 'redis://u:***@host:1');
  assert.throws(() => parseQueueUrl('redis://u:pa/ss@host:1'), (e: Error) => !e.message.includes('pa/ss') && !e.message.includes('ss@') && /redis:\/\/u:\*\*\*@host:1/.test(e.message));
  for (const [url, why] of [['http://h:1', /scheme http is not redis or rediss/], ['redis://:pw@h:1/x', /database 'x'/], ['nonsense', /not a URL/], ['redis://:pw@h:1?x=1', /query strings/]] as const) {
    assert.throws(() => parseQueueUrl(url), (e: Error) => why.test(e.message) && !e.message.includes('pw@'));
  }
});

const goodJob = () => ({
  v: 1, type: 'train', runId: '20240131-142501-9f3a0c', name: 'n', experiment: 'e', overrides: [], epochsPlanned: 3,
  spec: validateSpec(digitsSpec('n'), { baseDir: '/' }).spec,
});

test('a job is checked before anything runs: a command is refused, a bad field is named by its path', () => {
  assert.equal(validateJob(goodJob()).runId, '20240131-142501-9f3a0c');
  assert.throws(() => validateJob({ ...goodJob(), command: ['rm', '-rf', '/'] }), /^JobRefused: job\.command: this agent runs Hone specs only/);
  assert.throws(() => validateJob({ v: 1, type: 'exec' }), /job\.command/);
  assert.throws(() => validateJob({ ...goodJob(), runId: '../../etc' }), /job\.runId: expected a run id/);
  assert.throws(() => validateJob({ ...goodJob(), v: 2 }), /job\.v: expected 1/);
  const bad = goodJob() as any;
  bad.spec.train.lr = -1;
  assert.throws(() => validateJob(bad), /job\.spec: train\.lr: expected/);
  assert.throws(() => validateJob({ ...goodJob(), sweep: { id: 3 } }), /job\.sweep: expected \{ id: string, trial: integer \}/);
});

test('artifacts: a run folder round-trips byte for byte; a changed byte, an escaping path or too many bytes are refused', () => {
  const dir = makeTmpDir();
  try {
    const from = join(dir, 'from');
    mkdirSync(join(from, 'model'), { recursive: true });
    writeFileSync(join(from, 'metrics.jsonl'), '{"epoch":1}\n');
    writeFileSync(join(from, 'model', 'weights.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(from, 'secret.txt'), 'not sent');
    const files = packArtifacts(from);
    assert.deepEqual(files.map((f) => f.path), ['metrics.jsonl', 'model/weights.bin']);
    const to = join(dir, 'to');
    mkdirSync(to);
    unpackArtifacts(to, files);
    assert.deepEqual(readFileSync(join(to, 'model', 'weights.bin')), Buffer.from([0, 1, 2, 255]));
    const tampered = files.map((f) => ({ ...f, base64: Buffer.from('{"epoch":2}\n').toString('base64') }));
    assert.throws(() => unpackArtifacts(to, tampered.slice(0, 1)), /files\[0\] \(metrics\.jsonl\): checksum mismatch/);
    assert.throws(() => unpackArtifacts(to, [{ ...files[0], path: '../../x' }]), /not a run file Hone accepts/);
    assert.throws(() => unpackArtifacts(to, files, 5), /exceed 5 bytes/);
    assert.throws(() => packArtifacts(from, 5), /over this agent's limit of 5 bytes/);
  } finally {
    removeTmpDir(dir);
  }
});
