// `hone exec` end to end through the built CLI (make build first): real Python scripts using the shipped
// module (sdk/python/hone.py), shell scripts writing the protocol by hand, failures, kills and stops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';
import { hone, honeAsync, readJson, ROOT, waitFor } from '../helpers/cli';
import { pidAlive } from '../../src/core/store';
import type { SystemSample } from '../../src/core/system-metrics';

let dir: string;
before(() => (dir = makeTmpDir()));
after(() => removeTmpDir(dir));

const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), name);
const runIds = (store: string) => (existsSync(join(dir, store, 'runs')) ? readdirSync(join(dir, store, 'runs')) : []);
const onlyRun = (store: string) => {
  const ids = runIds(store);
  assert.equal(ids.length, 1, `one run in ${store}`);
  const runDir = join(dir, store, 'runs', ids[0]);
  return { id: ids[0], runDir, rec: readJson(join(runDir, 'run.json')) };
};
const jsonLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const exec = (store: string, ...args: string[]) => hone(['exec', '--store', store, ...args], dir);

const TRAIN_PY = `
import argparse, sys, hone
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.01)
params = hone.init(p.parse_args(), layers=2)
print("params", sorted(params.items()))
for i, (loss, acc) in enumerate([(0.9, 0.5), (0.5, 0.8), (0.7, 0.75)]):
    hone.log(i * 10, loss=loss, val_accuracy=acc)
    print("step", i, "loss", loss)
hone.log(30, {"test_accuracy": float("nan")}, epoch=3)
print("a warning", file=sys.stderr)
with open("model.txt", "w") as f:
    f.write("weights")
hone.save("model.txt")
`;

test('a Python script with hone.py: metrics, params from hone.init and --set, output, artifact, system samples', () => {
  write('train.py', TRAIN_PY);
  const r = exec('py', '--set', 'batch=32', '--set', 'lr=0.1', '--', 'python3', 'train.py', '--lr', '0.5');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /params \[\('layers', 2\), \('lr', 0\.1\)\]/, '--set replaces the script\'s own value; batch is not the script\'s');
  assert.match(r.stdout, /step 2 loss 0\.7\n/);
  assert.match(r.stderr, /a warning\n/);
  assert.match(r.stderr, /completed: exited with code 0/);
  const { runDir, rec } = onlyRun('py');
  assert.equal(rec.kind, 'exec');
  assert.equal(rec.status, 'completed');
  assert.equal(rec.message, 'exited with code 0');
  assert.equal(rec.name, 'train.py [batch=32 lr=0.1]');
  assert.equal(rec.experiment, 'train.py');
  assert.deepEqual(rec.spec.command, ['python3', 'train.py', '--lr', '0.5']);
  assert.equal(rec.spec.cwd, dir);
  assert.deepEqual(rec.spec.params, { lr: 0.1, layers: 2 });
  assert.deepEqual(rec.final, { loss: 0.7, val_accuracy: 0.75, test_accuracy: 'NaN' });
  assert.deepEqual(rec.best, { loss: 0.5, val_accuracy: 0.8 });
  assert.equal(rec.epochsDone, 3);
  const lines = jsonLines(join(runDir, 'metrics.jsonl'));
  assert.deepEqual(lines.map((l) => [l.epoch, l.step, l.lr, l.tensors, l.metrics]), [
    [1, 0, 'NaN', 0, { loss: 0.9, val_accuracy: 0.5 }],
    [2, 10, 'NaN', 0, { loss: 0.5, val_accuracy: 0.8 }],
    [3, 20, 'NaN', 0, { loss: 0.7, val_accuracy: 0.75 }],
    [3, 30, 'NaN', 0, { test_accuracy: 'NaN' }],
  ], 'no learning rate reported: lr NaN, not 0');
  assert.ok(lines.every((l) => l.time >= 0 && l.time < 60));
  assert.equal(readFileSync(join(runDir, 'artifacts', 'model.txt'), 'utf8'), 'weights');
  const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
  assert.match(log, /step 1 loss 0\.5\n/);
  assert.match(log, /a warning\n/);
  assert.match(log, /hone: artifact .*model\.txt saved as artifacts\/model\.txt/);
  const samples = jsonLines(join(runDir, 'system.jsonl')) as SystemSample[];
  assert.ok(samples.length >= 1);
  for (const s of samples) assert.ok(s.cpu >= 0 && s.rssMB > 0 && s.memTotalMB >= s.memUsedMB && s.memUsedMB > 0, JSON.stringify(s));

  // Listed and shown like any run, with its metrics.
  const ls = JSON.parse(hone(['ls', '--store', 'py', '--json'], dir).stdout);
  assert.equal(ls.length, 1);
  assert.equal(ls[0].id, rec.id);
  assert.equal(ls[0].status, 'completed');
  assert.deepEqual(ls[0].metrics, { loss: 0.7, val_accuracy: 0.75, test_accuracy: 'NaN' }, 'NaN is "NaN" in --json, as in the store\'s own files (null would read as missing)');
  assert.deepEqual(ls[0].best, { loss: 0.5, val_accuracy: 0.8 });
  const show = hone(['show', rec.id, '--store', 'py'], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /status +completed: exited with code 0/);
  assert.match(show.stdout, /val_accuracy +0\.75\d* +0\.8/);
  assert.match(show.stdout, /loss +0\.7\d* +0\.5/);
});

test('--set names the script spells otherwise are applied as it spells them; one it lacks is warned about, and the run records what was used', () => {
  write('flags.py', [
    'import argparse, hone',
    'p = argparse.ArgumentParser()',
    'p.add_argument("--batch-size", type=int, default=32)',
    'p.add_argument("--lr", type=float, default=0.01)',
    'params = hone.init(p.parse_args(), model={"layers": 2})',
    'print("used", params["batch_size"], params["lr"], params["model"]["layers"])',
  ].join('\n'));
  const r = exec('flags', '--set', 'batch-size=64', '--set', 'lr=.001', '--set', 'model.layers=3', '--set', 'epochs=5', '--', 'python3', 'flags.py');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /used 64 0\.001 3\n/);
  assert.match(r.stderr, /hone: --set epochs=5: the script has no parameter 'epochs', so it is not applied/);
  const { rec } = onlyRun('flags');
  assert.deepEqual(rec.spec.params, { batch_size: 64, lr: 0.001, model: { layers: 3 } }, 'neither the spellings it did not use nor the name it lacks');
  assert.match(readFileSync(join(dir, 'flags', 'runs', rec.id, 'log.txt'), 'utf8'), /--set epochs=5: the script has no parameter 'epochs'/);
});

test('outside hone exec the module does nothing, after one notice', () => {
  write('plain.py', 'import hone\nhone.init({"a": 1})\nfor i in range(3): hone.log(i, loss=1)\nhone.save("x")\nprint(hone.active())\n');
  const r = spawnSync('python3', ['plain.py'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(ROOT, 'sdk/python'), HONE_METRICS_FILE: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'False\n');
  assert.equal(r.stderr.match(/not running under `hone exec`/g)?.length, 1);
});

test('an exec run records its provenance: the hone exec command, the folder and git state the command ran in, the machine', () => {
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
  git('init', '-q');
  writeFileSync(join(repo, 'train.sh'), 'exit 0\n');
  git('add', '.');
  git('commit', '-qm', 'script');
  writeFileSync(join(repo, 'train.sh'), 'echo changed\n');
  const r = hone(['exec', '--store', join(dir, 'prov'), '--', 'sh', 'train.sh'], repo);
  assert.equal(r.code, 0, r.stderr);
  const { id, runDir, rec } = onlyRun('prov');
  const p = rec.provenance;
  assert.match(p.command.join(' '), /hone\.js exec --store \S+ -- sh train\.sh$/);
  assert.equal(p.cwd, repo);
  assert.equal(p.git.commit, git('rev-parse', 'HEAD').trim());
  assert.equal(p.git.dirty, true);
  assert.equal(readFileSync(join(runDir, p.git.diffFile), 'utf8'), git('diff', 'HEAD', '--binary'));
  assert.equal(p.machine.host, hostname());
  const show = hone(['show', id, '--store', join(dir, 'prov')], repo);
  assert.doesNotMatch(show.stdout, /not recorded/);
  assert.match(show.stdout, /code {5}git [0-9a-f]{12} .*dirty: diff saved as git\.diff/);
});

test('a script exiting 3 is failed, and hone exits 1', () => {
  const r = exec('fail', '--', 'python3', '-c', 'import sys; print("bye"); sys.exit(3)');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /bye/);
  const { rec } = onlyRun('fail');
  assert.equal(rec.status, 'failed');
  assert.equal(rec.message, 'exited with code 3');
  assert.equal(rec.name, 'python3', '-c code is named by its interpreter');
});

test('a command that does not exist is failed: command not found', () => {
  const r = exec('missing', '--name', 'nothing', '--', 'no-such-command-hone', '--flag');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /failed: command not found: no-such-command-hone/);
  const { rec } = onlyRun('missing');
  assert.equal(rec.status, 'failed');
  assert.equal(rec.message, 'command not found: no-such-command-hone');
  assert.equal(rec.name, 'nothing');
});

test('malformed and torn protocol lines are skipped and counted; the run completes', () => {
  const sh = [
    'f="$HONE_METRICS_FILE"',
    `echo '{"params": {"depth": 3}}' >> "$f"`,
    `echo '{"step": 1, "metrics": {"loss": 0.5}}' >> "$f"`,
    `echo 'not json at all' >> "$f"`,
    `echo '{"step": 2, "metrics": {"loss": "low"}}' >> "$f"`,
    `echo '{"step": 3, "metrics": {"loss": 0.25, "acc": NaN}}' >> "$f"`,
    `printf '{"step": 4, "met' >> "$f"`,
  ].join('\n');
  const r = exec('bad', '--', 'sh', write('bad.sh', sh));
  assert.equal(r.code, 0, r.stderr);
  const { runDir, rec } = onlyRun('bad');
  assert.equal(rec.status, 'completed');
  assert.equal(rec.message, 'exited with code 0; protocol: skipped 3 malformed lines');
  assert.equal(rec.name, 'bad.sh');
  assert.deepEqual(rec.spec.params, { depth: 3 });
  assert.deepEqual(jsonLines(join(runDir, 'metrics.jsonl')).map((l) => [l.epoch, l.step, l.metrics]), [
    [1, 1, { loss: 0.5 }],
    [2, 3, { loss: 0.25, acc: 'NaN' }],
  ]);
  const log = readFileSync(join(runDir, 'log.txt'), 'utf8');
  assert.match(log, /protocol: skipped a line \(not valid JSON\): not json at all/);
  assert.match(log, /protocol: skipped a line \(metric 'loss' is not a number\)/);
  assert.match(log, /protocol: skipped a line \(not valid JSON\): \{"step": 4, "met/);
});

test('a shell one-liner writes the protocol by hand', () => {
  const r = exec('sh', '--json', '--', 'sh', '-c', `echo hello; echo '{"step": 5, "metrics": {"loss": 0.125, "lr": 0.01}}' >> "$HONE_METRICS_FILE"`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /hello\n/, 'under --json the command\'s stdout goes to stderr');
  const view = JSON.parse(r.stdout);
  assert.equal(view.status, 'completed');
  assert.deepEqual(view.metrics, { loss: 0.125, lr: 0.01 });
  const { runDir } = onlyRun('sh');
  assert.deepEqual(jsonLines(join(runDir, 'metrics.jsonl')), [{ epoch: 1, step: 5, time: jsonLines(join(runDir, 'metrics.jsonl'))[0].time, lr: 0.01, metrics: { loss: 0.125, lr: 0.01 }, tensors: 0 }]);
});

test('a metric named __proto__ is recorded like any other, and read back by hone ls and hone show', () => {
  const r = exec('proto', '--', 'sh', '-c', `echo '{"step": 1, "metrics": {"__proto__": 0.5, "loss": 1}}' >> "$HONE_METRICS_FILE"; echo '{"step": 2, "metrics": {"__proto__": 0.25, "constructor": 4}}' >> "$HONE_METRICS_FILE"`);
  assert.equal(r.code, 0, r.stderr);
  const { runDir, rec } = onlyRun('proto');
  assert.equal(rec.message, 'exited with code 0', 'no line skipped');
  assert.equal(JSON.stringify(rec.final), '{"__proto__":0.25,"loss":1,"constructor":4}');
  assert.deepEqual(jsonLines(join(runDir, 'metrics.jsonl')).map((l) => JSON.stringify(l.metrics)), ['{"__proto__":0.5,"loss":1}', '{"__proto__":0.25,"constructor":4}']);
  const [listed] = JSON.parse(hone(['ls', '--store', join(dir, 'proto'), '--json']).stdout);
  assert.equal(JSON.stringify(listed.metrics), '{"__proto__":0.25,"loss":1,"constructor":4}');
  assert.match(hone(['show', rec.id, '--store', join(dir, 'proto')]).stdout, /^__proto__\s+0\.2500\s*$/m);
});

/** Starts `hone exec` on a long Python script that writes its pid (and a child's) to files; resolves once they are there. */
async function longRun(store: string, body = '') {
  write(`${store}.py`, `
import hone, os, signal, subprocess, time
${body}
child = subprocess.Popen(["sleep", "300"])
open("${store}.pids", "w").write(f"{os.getpid()} {child.pid}")
for i in range(3000):
    hone.log(i, loss=1.0 / (i + 1))
    time.sleep(0.1)
`);
  const p = honeAsync(['exec', '--store', store, '--', 'python3', `${store}.py`], dir);
  const pids = await waitFor(() => {
    const f = join(dir, `${store}.pids`);
    return existsSync(f) && readFileSync(f, 'utf8').includes(' ') ? readFileSync(f, 'utf8').split(' ').map(Number) : undefined;
  }, 30_000, 'the script\'s pids');
  await waitFor(() => (onlyRun(store).rec.epochsDone >= 2 ? true : undefined), 30_000, 'two metric lines');
  return { p, command: pids[0], child: pids[1] };
}

test('the command SIGKILLed mid-run: crashed, its metrics so far kept, its leftover child stopped', async () => {
  const { p, command, child } = await longRun('killed');
  process.kill(command, 'SIGKILL');
  const r = await p.result;
  assert.equal(r.code, 1);
  const { rec } = onlyRun('killed');
  assert.equal(rec.status, 'crashed');
  assert.equal(rec.message, 'killed by SIGKILL');
  assert.ok(rec.epochsDone >= 2 && rec.final.loss > 0);
  await waitFor(() => (pidAlive(child) ? undefined : true), 5000, 'the leftover child to end');
});

test('the supervisor itself SIGKILLed: its watchdog stops the command and its child; the run reads crashed', async () => {
  const { p, command, child } = await longRun('orphan');
  process.kill(onlyRun('orphan').rec.pid, 'SIGKILL');
  await p.result;
  await waitFor(() => (pidAlive(command) || pidAlive(child) ? undefined : true), 5000, 'the command and its child to end');
  const r = hone(['ls', '--store', 'orphan', '--json'], dir);
  assert.equal(JSON.parse(r.stdout)[0].status, 'crashed');
});

test('hone stop: SIGTERM to the command\'s process group, status stopped', async () => {
  const { p, command, child } = await longRun('stopme');
  const s = hone(['stop', 'stopme.py', '--store', 'stopme'], dir);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /: stopped/);
  const r = await p.result;
  assert.equal(r.code, 1, 'a stopped run did not complete');
  const { rec } = onlyRun('stopme');
  assert.equal(rec.status, 'stopped');
  assert.equal(rec.message, 'stopped on request; the command was killed by SIGTERM');
  assert.ok(!pidAlive(command), 'the command is gone');
  await waitFor(() => (pidAlive(child) ? undefined : true), 5000, 'its child to end');
});

test('a command that ignores SIGTERM is killed after the grace period, and still recorded stopped', async () => {
  const { p, command, child } = await longRun('stubborn', 'signal.signal(signal.SIGTERM, lambda *a: print("ignoring SIGTERM", flush=True))');
  p.child.kill('SIGINT'); // Ctrl-C in the terminal of hone exec
  // The SIGTERM went to the whole group: the child ends at once, the command lives on until the SIGKILL.
  await waitFor(() => (pidAlive(child) ? undefined : true), 5000, 'the child to end');
  assert.ok(pidAlive(command), 'the command ignores SIGTERM');
  const r = await p.result;
  assert.equal(r.code, 1);
  assert.match(r.stdout, /ignoring SIGTERM/);
  const { rec, runDir } = onlyRun('stubborn');
  assert.equal(rec.status, 'stopped');
  assert.equal(rec.message, 'stopped on request; the command was killed by SIGKILL');
  assert.match(readFileSync(join(runDir, 'log.txt'), 'utf8'), /SIGKILL to process group/);
});

test('a process the command leaves behind that ignores SIGTERM is killed too: nothing of the run outlives it', async () => {
  // The command exits at once, leaving a child that ignores SIGTERM (its pid in a file).
  const pidFile = join(dir, 'leftover.pid');
  const r = exec('leftover', '--name', 'leftover', '--', 'sh', '-c', `sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 1; done' & sleep 0.5`);
  assert.equal(r.code, 0, r.stderr);
  const leftover = Number(readFileSync(pidFile, 'utf8'));
  await waitFor(() => (pidAlive(leftover) ? undefined : true), 5000, 'the leftover process to end');
  assert.match(readFileSync(join(onlyRun('leftover').runDir, 'log.txt'), 'utf8'), /SIGKILL to the processes still in process group/);
});

test('output passes through byte for byte, to the terminal and to log.txt: invalid UTF-8, and a character split across writes', () => {
  const py = 'import sys, time\nsys.stdout.buffer.write(b"a\\xff\\xfeb\\xe2\\x82"); sys.stdout.flush(); time.sleep(0.3)\nsys.stdout.buffer.write(b"\\xac\\n"); sys.stdout.flush()';
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'hone.js'), 'exec', '--store', 'bytes', '--', 'python3', '-c', py], { cwd: dir });
  assert.equal(r.status, 0, r.stderr.toString());
  const want = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xe2, 0x82, 0xac, 0x0a]);
  assert.deepEqual(r.stdout, want);
  const log = readFileSync(join(onlyRun('bytes').runDir, 'log.txt'));
  assert.ok(log.includes(want), `log.txt holds the bytes as written: ${JSON.stringify(log.toString('latin1'))}`);
});

test('the flow-control setting is the supervisor\'s own: the command does not inherit it', () => {
  const r = exec('flow-env', '--', 'sh', '-c', 'echo "flow=${HONE_EXEC_FLOW:-unset}"');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^flow=unset$/m);
});

test('a reader that does not read holds the command back (flow control), and then gets every byte', async () => {
  // 40 MB in 64 KiB writes; after each write the script records how much it has written.
  const progress = join(dir, 'flow-progress');
  const py = `import sys\nchunk = b"x" * 65535 + b"\\n"\nfor i in range(640):\n    sys.stdout.buffer.write(chunk); sys.stdout.flush()\n    open(${JSON.stringify(progress)}, "w").write(str((i + 1) * len(chunk)))`;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'hone.js'), 'exec', '--store', 'flow', '--', 'python3', '-c', py], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.pause();
  await waitFor(() => (existsSync(progress) ? true : undefined), 30_000, 'the command to start writing');
  await new Promise((r) => setTimeout(r, 3000));
  const written = Number(readFileSync(progress, 'utf8'));
  assert.ok(written < 16 * 2 ** 20, `the command is held back while nobody reads: it wrote ${written} bytes of 40 MiB`);
  let received = 0;
  child.stdout.on('data', (b: Buffer) => (received += b.length));
  child.stdout.resume();
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0);
  assert.equal(received, 640 * 65536);
  assert.equal(statSync(join(onlyRun('flow').runDir, 'log.txt')).size > received, true, 'log.txt has it all, and Hone\'s lines');
});

test('bad input exits 2 and starts nothing', () => {
  for (const args of [['exec'], ['exec', '--'], ['exec', '--set', 'lr', '--', 'true'], ['exec', 'stray', '--', 'true'], ['exec', '--name', ' ', '--', 'true']]) {
    const r = hone(['--store', 'bad-input', ...args], dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
  }
  assert.deepEqual(runIds('bad-input'), []);
});
