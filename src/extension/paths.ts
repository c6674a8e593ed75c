import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** A path setting: `~/x` from the home folder, relative paths from the workspace root (or the home folder without one). */
export function resolveSetting(value: string, workspaceRoot: string | undefined): string {
  if (value.startsWith('~/')) return join(homedir(), value.slice(2));
  return isAbsolute(value) ? value : resolve(workspaceRoot ?? homedir(), value);
}
