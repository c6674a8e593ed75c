/** What the status bar says of the store's runs, as plain data (no vscode import, so it is unit-tested in plain Node). */
import type { RunRecord } from '../core/store/types';
import { isActive, progressText } from './tree-model';

/**
 * `$(beaker) Hone: 2 running, 2 queued · wasm`: running and waiting runs counted apart, and the backend
 * of the newest active run (else of the newest run); the tooltip has a line per active run.
 */
export function statusSummary(records: RunRecord[]): { text: string; tooltip: string } {
  const active = records.filter(isActive);
  const count = (status: RunRecord['status']) => active.filter((r) => r.status === status).length;
  const counts = [count('running') && `${count('running')} running`, count('queued') && `${count('queued')} queued`].filter(Boolean).join(', ');
  const backend = [...active, ...records].find((r) => r.backend)?.backend?.name;
  return {
    text: `$(beaker) Hone: ${counts || 'idle'}${backend ? ` · ${backend}` : ''}`,
    tooltip: active.length ? active.map((r) => `${r.name}: ${r.status === 'running' ? `running ${progressText(r)}` : 'queued'}`).join('\n') : 'No active runs',
  };
}
