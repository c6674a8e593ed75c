import { InputError } from '../core/errors';
import { backendDir, INSTALLABLE, installGpuBackend, type InstallableBackend } from '../core/backends';

/**
 * `hone backend install <backend>`: npm-installs an optional backend into backendDir(); npm's output goes to stderr.
 * npm reads its own settings from the environment, so `npm_config_registry=<url> hone backend install ...` uses a
 * mirror (the tests use a local registry this way).
 */
export async function backendInstallCommand(variant: string | undefined): Promise<number> {
  const names = Object.keys(INSTALLABLE);
  if (!variant || !names.includes(variant)) throw new InputError(`hone backend install: expected one of ${names.join(', ')}, found ${variant ?? 'nothing'}`);
  const r = await installGpuBackend(backendDir(), variant as InstallableBackend, (line) => process.stderr.write(`  ${line}\n`));
  process.stdout.write(`installed ${r.packages.join(', ')} into ${r.dir}; \`hone backend ls\` shows whether it works here\n`);
  return 0;
}

/**
 * Which TF.js backends work here (engine/backend.ts probeBackends), for `hone backend ls` and `hone agent`,
 * which load TF.js in the CLI's own process. A worker sends TF.js's console output to its run's log; here
 * there is none, and TF.js's cpu backend prints, on first use, a banner telling the user to install its
 * node backend, which Hone itself advises against (`hone backend ls` says why it is optional). So TF.js's
 * own messages are off during the probe (its PROD flag mutes exactly those), and back as they were after.
 */
export async function probeBackends(): ReturnType<typeof import('../engine/backend').probeBackends> {
  const [engine, tf] = await Promise.all([import('../engine/backend'), import('@tensorflow/tfjs')]);
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  try {
    return await engine.probeBackends();
  } finally {
    tf.env().set('PROD', prod);
  }
}
