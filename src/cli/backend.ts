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
