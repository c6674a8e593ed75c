import type { Redis } from 'ioredis';
import type { AgentInfo } from './agent';
import { agentKey } from './connect';
import { isObject } from './job';

/** The agents registered on the queue now (their entries expire a few seconds after an agent dies), by name. */
export async function listAgents(redis: Redis): Promise<AgentInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', agentKey('*'), 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const values = keys.length ? await redis.mget(keys) : [];
  return values.flatMap(agentInfo).sort((a, b) => a.name.localeCompare(b.name));
}

const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');

/**
 * A registration, if it has the fields its readers use (`hone agent ls`, the Runs tree's Queue node, `hone
 * exec`); none for anything else under an agent's key (another Hone version's entry, a stray value), which
 * would otherwise end `hone agent ls` with a TypeError and break the tree.
 */
function agentInfo(text: string | null): AgentInfo[] {
  let a: unknown;
  try {
    a = text && JSON.parse(text);
  } catch {
    return [];
  }
  const ok = isObject(a) && typeof a.name === 'string' && typeof a.host === 'string' && typeof a.backend === 'string'
    && Number.isInteger(a.concurrency) && strings(a.tags) && strings(a.jobs);
  return ok ? [a as unknown as AgentInfo] : [];
}
