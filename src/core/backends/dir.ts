import { homedir } from 'node:os';
import { join } from 'node:path';

/** The backends Hone can install on request, and the npm packages (pinned to Hone's TF.js) each needs. */
export type InstallableBackend = 'tensorflow' | 'tensorflow-gpu' | 'webgpu';

export const INSTALLABLE: Record<InstallableBackend, (tfjs: string) => string[]> = {
  tensorflow: (v) => [`@tensorflow/tfjs-node@${v}`],
  'tensorflow-gpu': (v) => [`@tensorflow/tfjs-node-gpu@${v}`],
  webgpu: (v) => ['webgpu@~0.6.2', `@tensorflow/tfjs-backend-webgpu@${v}`],
};

/**
 * Where installed backends live: `$HONE_BACKEND_DIR`, else `~/.hone/backends`. It is independent of any
 * run store, so one install serves every project, the CLI and the extension; workers inherit the variable.
 */
export const backendDir = (): string => process.env.HONE_BACKEND_DIR || join(homedir(), '.hone', 'backends');
