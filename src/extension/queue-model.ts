/**
 * The Runs tree's Queue node: the queue this window sends sweeps to (password redacted) and the agents
 * registered on it, each with its host, backend and the runs it trains now. Plain data, no vscode.
 */
import type { AgentInfo } from '../core/queue/agent';
import type { NodeModel } from './tree-model';

/** `agents` undefined: the queue did not answer (Redis down or cut off); its runs wait, or end after $HONE_QUEUE_TIMEOUT_S. */
export function queueNode(url: string, agents: AgentInfo[] | undefined): NodeModel {
  const busy = agents?.filter((a) => a.jobs.length).length;
  return {
    id: `queue:${url}`,
    label: 'Queue',
    description: agents ? `${agents.length} agent${agents.length === 1 ? '' : 's'}${busy ? ` · ${busy} busy` : ''}` : 'unreachable',
    tooltip: `**Queue** \`${url}\`\n\n${agents ? 'Agents start with \`hone agent --queue URL\` on any machine with Hone.' : 'Redis does not answer: runs on this queue wait for it, and are recorded crashed after $HONE_QUEUE_TIMEOUT_S (default 10 minutes).'}`,
    icon: { id: agents ? 'server-environment' : 'warning' },
    contextValue: 'queue',
    children: (agents ?? []).map((a) => ({
      id: `agent:${url}:${a.name}`,
      label: a.name,
      description: `${a.backend} · ${a.jobs.length ? `${a.jobs.length}/${a.concurrency} running` : 'idle'}${a.tags.length ? ` · ${a.tags.map((t) => `#${t}`).join(' ')}` : ''}`,
      tooltip: `**${a.name}** on ${a.host}: backend ${a.backend}, ${a.concurrency} at once${a.jobs.length ? `\n\nTraining: ${a.jobs.map((j) => `\`${j}\``).join(' ')}` : ''}`,
      icon: { id: a.jobs.length ? 'vm-running' : 'vm-outline' },
      contextValue: 'agent',
    })),
  };
}
