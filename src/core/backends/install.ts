import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALLABLE, type InstallableBackend } from './dir';

export interface InstallOptions {
  /** Give up (and stop npm) after this long; default 10 minutes. */
  timeoutMs?: number;
  /** The npm executable; default `npm` on the PATH. */
  npm?: string;
  /** Extra environment for npm, over Hone's own: e.g. `npm_config_registry` for a mirror (tests use a local one). */
  env?: Record<string, string>;
}

export interface Installed {
  dir: string;
  /** The packages as installed, `name@version`. */
  packages: string[];
}

const NEEDS: Partial<Record<InstallableBackend, string>> = {
  'tensorflow-gpu': 'it also needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1, on Linux or Windows x64',
  webgpu: 'it works only on a GPU with a Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver',
};

/** The version of TF.js Hone runs on: installed backends must match it, as they share its engine. */
const tfjsVersion = (): string => createRequire(__filename)('@tensorflow/tfjs-core/package.json').version;

/** Why an npm install failed, in one sentence, from what npm printed. */
export function explainNpmFailure(output: string): string {
  const url = /https:\/\/storage\.googleapis\.com\/\S+/.exec(output)?.[0];
  const cause = /(getaddrinfo \w+ [\w.-]+|connect E\w+ [\d.:]+|ETIMEDOUT|ECONNRESET|certificate[^\n]*)/.exec(output)?.[1];
  if (url || /Downloading libtensorflow/.test(output)) {
    return `its install script downloads libtensorflow${url ? ` from ${url}` : ''}, and that download failed${cause ? ` (${cause})` : ''}: it needs internet access to storage.googleapis.com`;
  }
  // npm's FetchError names the URL it could not get: the registry, or a mirror whose URL need not say so.
  const fetch = /request to (\w+:\/\/[^/\s]+)\S* failed, reason: ([^\n]+)/.exec(output);
  if (fetch) return `npm could not reach the registry at ${fetch[1]} (${cause ?? fetch[2].trim()})`;
  if (/registry/.test(output) && cause) return `npm could not reach the registry (${cause})`;
  const last = output.split('\n').filter((l) => /npm (error|ERR!)/.test(l) && !/A complete log|^npm error\s*$/.test(l)).slice(-3);
  return last.length ? `npm said: ${last.map((l) => l.replace(/^npm (error|ERR!)\s*/, '')).join(' / ')}` : 'npm failed without saying why';
}

/**
 * Installs an optional TF.js backend with npm into `targetDir` (its node_modules), where Hone's backend
 * loader looks after its own (see `backendDir()`): `@tensorflow/tfjs-node` or `-gpu` (their install script
 * downloads libtensorflow), or `webgpu` (Dawn, prebuilt in the npm package) with the TF.js WebGPU backend.
 * `log` receives npm's output line by line. Throws an Error whose message says why it failed, leaving none
 * of the requested packages half-installed. npm's own settings (`.npmrc`, `npm_config_*`) apply, `o.env` over them.
 */
export async function installGpuBackend(targetDir: string, variant: InstallableBackend, log: (line: string) => void, o: InstallOptions = {}): Promise<Installed> {
  if (!(variant in INSTALLABLE)) throw new Error(`unknown backend '${variant}': expected one of ${Object.keys(INSTALLABLE).join(', ')}`);
  const packages = INSTALLABLE[variant](tfjsVersion());
  mkdirSync(targetDir, { recursive: true });
  const args = ['install', '--prefix', targetDir, '--no-audit', '--no-fund', '--foreground-scripts', ...packages];
  log(`npm ${args.join(' ')}`);
  const names = packages.map((p) => p.replace(/@[^@/]+$/, ''));
  const fresh = names.map((name) => join(targetDir, 'node_modules', name)).filter((d) => !existsSync(d));
  const { code, output, timedOut } = await runNpm(o.npm ?? 'npm', args, o.timeoutMs ?? 600_000, { ...process.env, ...o.env }, log);
  if (timedOut || code !== 0) {
    // npm rolls back a failed install itself, but one stopped at the timeout leaves the package unpacked with
    // its install script cut short (no libtensorflow): the loader would find it, and a later npm install would
    // take it as done. So remove what this attempt added; a package that was there before is left as it is.
    for (const d of fresh) rmSync(d, { recursive: true, force: true });
  }
  const fail = (why: string) => new Error(`could not install ${packages.join(' and ')} into ${targetDir}: ${why}${NEEDS[variant] ? `; ${NEEDS[variant]}` : ''}`);
  if (timedOut) throw fail(`npm did not finish within ${Math.round((o.timeoutMs ?? 600_000) / 1000)} s (stopped)`);
  if (code !== 0) throw fail(explainNpmFailure(output));
  const from = createRequire(join(targetDir, 'package.json'));
  return { dir: targetDir, packages: names.map((name) => `${name}@${from(`${name}/package.json`).version}`) };
}

function runNpm(npm: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout stops npm and the install scripts it started.
    const child = spawn(npm, args, { detached: process.platform !== 'win32', shell: process.platform === 'win32', env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (b: Buffer) => {
      output += b.toString();
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop() ?? '';
      lines.filter((l) => l.trim()).forEach(log);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(process.platform === 'win32' ? child.pid! : -child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }, timeoutMs);
    const end = (code: number | null) => {
      clearTimeout(timer);
      if (partial.trim()) log(partial);
      resolve({ code, output, timedOut });
    };
    // A missing npm emits 'error' and may never emit 'close'; resolving twice is harmless.
    child.on('error', (e) => {
      output += `\nnpm error could not start ${npm}: ${e.message}`;
      end(null);
    });
    child.on('close', end);
  });
}
