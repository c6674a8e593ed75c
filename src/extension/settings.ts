import * as vscode from 'vscode';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { BackendChoice } from '../core/spec/types';
import { resolveSetting } from './paths';

/** Hone's settings, read fresh each time (they can change while the extension runs). */
export interface HoneSettings {
  backend: BackendChoice;
  maxParallelRuns: number;
  storeDir: string;
  /** Folder relative data paths resolve against; undefined: each spec's own folder. */
  datasetsDir?: string;
}

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export function readSettings(): HoneSettings {
  const c = vscode.workspace.getConfiguration('hone');
  const root = workspaceRoot();
  const parallel = c.get<number>('maxParallelRuns', 0);
  const datasets = c.get<string>('datasetsDir', '');
  return {
    backend: c.get<BackendChoice>('backend', 'auto'),
    maxParallelRuns: parallel > 0 ? parallel : cpus().length,
    storeDir: resolveSetting(c.get<string>('storeDir', '.hone') || '.hone', root),
    datasetsDir: datasets ? resolveSetting(datasets, root) : undefined,
  };
}

/**
 * The folder a spec's relative data paths resolve against: `hone.datasetsDir`, else the spec's own folder.
 * One rule for every command (run, sweep) and the editor's diagnostics, so what the editor checked is what trains.
 */
export const dataDir = (specFile: string): string => readSettings().datasetsDir ?? dirname(specFile);
