/**
 * Redis connections for the queue, and the keys Hone keeps beside BullMQ's: agents' registrations and
 * per-run stop requests. Every connection is checked once at start (`openRedis`), so a wrong password or an
 * unreachable server ends the command with a clear message instead of retrying forever in the background.
 */
import { Redis } from 'ioredis';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { InputError } from '../errors';
import type { QueueAddress } from './url';

/** BullMQ's key prefix and queue name: keys are `hone:runs:*`. */
export const PREFIX = 'hone';
export const QUEUE_NAME = 'runs';
/** An agent's registration (JSON, expires unless refreshed) and a run's stop request. */
export const agentKey = (name: string) => `${PREFIX}:agent:${name}`;
export const stopKey = (runId: string) => `${PREFIX}:stop:${runId}`;
/** How a stop request starts when its submitter recorded the run and left (a second Ctrl-C): nobody collects the job's result. */
export const ABANDONED = 'abandoned';

/** ioredis options for an address; BullMQ's blocking connections need `maxRetriesPerRequest: null`. */
export const redisOptions = (a: QueueAddress): ConnectionOptions => ({ ...a.connection, maxRetriesPerRequest: null });

/** What a Redis error means to the user, with the address redacted. */
export function explainRedisError(e: unknown, a: QueueAddress): string {
  const msg = (e as Error).message ?? String(e);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(msg)) return `${a.redacted} refused the user name or password (${msg.split('.')[0]})`;
  if (/NOAUTH/i.test(msg)) return `${a.redacted} requires a password: give it in the URL, redis://[user]:password@host:port`;
  if (/ECONNREFUSED/.test(msg)) return `nothing listens at ${a.redacted} (${msg})`;
  if (/ETIMEDOUT|timed out/i.test(msg)) return `${a.redacted} did not answer in time (${msg})`;
  if (/certificate|self.signed|CERT_/i.test(msg)) return `${a.redacted}: its TLS certificate is not trusted here (${msg}); a private CA is added with NODE_EXTRA_CA_CERTS=ca.pem`;
  if (/ECONNRESET/.test(msg) && !a.connection.tls) return `${a.redacted} closed the connection (${msg}): if the server expects TLS, use rediss://`;
  return `${a.redacted}: ${msg}`;
}

/**
 * A checked connection (PING answered), or InputError saying why not. Once checked it reconnects by itself
 * (a Redis restart, a network blip), like BullMQ's own connections.
 */
export async function openRedis(a: QueueAddress, timeoutMs = 5000): Promise<Redis> {
  let checked = false;
  const r = new Redis({
    ...a.connection, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 1,
    retryStrategy: (times) => (checked ? Math.min(times * 200, 2000) : null),
  });
  // The first error event says why (WRONGPASS, ECONNREFUSED); the rejected connect() only says it closed.
  let first: unknown;
  r.on('error', (e) => (first ??= e));
  try {
    await r.connect();
    await r.ping();
    checked = true;
  } catch (e) {
    r.disconnect();
    throw new InputError(explainRedisError(first ?? e, a));
  }
  return r;
}

/**
 * What a coordinator needs of one BullMQ queue: a checked connection of its own, the queue to add jobs to,
 * and its event stream, ready. Their errors are left to the callers' polls (a restart, a blip).
 */
export async function openQueue(a: QueueAddress, name: string): Promise<{ redis: Redis; queue: Queue; events: QueueEvents }> {
  const redis = await openRedis(a);
  const opts = { connection: redisOptions(a), prefix: PREFIX };
  const queue = new Queue(name, opts);
  const events = new QueueEvents(name, opts);
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  await events.waitUntilReady();
  return { redis, queue, events };
}
