import type { Redis } from 'ioredis';
import type { AgentInfo } from './agent';
import { agentKey } from './connect';

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
  return values.flatMap((v) => {
    try {
      return v ? [JSON.parse(v) as AgentInfo] : [];
    } catch {
      return [];
    }
  }).sort((a, b) => a.name.localeCompare(b.name));
}
