/**
 * The queue's address: `redis://[user:pass@]host:port[/db]` or `rediss://...` (TLS). The password never
 * leaves this module except inside the connection options: everything Hone writes or prints (run.json,
 * sweep.json, logs, errors, the dashboard) carries the redacted form, with `***` for the password.
 */
import { InputError } from '../errors';

export interface QueueConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  /** `rediss://`: TLS, with the system's certificate authorities; the host name is verified. */
  tls?: { servername: string };
}

export interface QueueAddress {
  connection: QueueConnection;
  /** The URL with its password replaced by `***`: safe to record and print. */
  redacted: string;
  /** Whether the URL carries a password (a redacted one cannot be used to reconnect). */
  hasPassword: boolean;
}

/**
 * `text` with the password of every URL in it (`scheme://user:password@`) replaced by `***`; a user without
 * password is hidden whole. The user info runs to the URL's last `@` (as URL parsers read it), so a password
 * holding `@` or `/` is hidden whole too.
 */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][\w+.-]*:\/\/)(\S*)@/gi, hideAuth);
}

/** A replacer's `scheme://user:password@` as `scheme://user:***@` (a user without password hidden whole). */
function hideAuth(_match: string, scheme: string, auth: string): string {
  const colon = auth.indexOf(':');
  return `${scheme}${colon < 0 ? '***' : `${auth.slice(0, colon)}:***`}@`;
}

/**
 * One command-line argument (argv, as recorded in run.json's provenance) with every password hidden as
 * redactUrl hides it. An argument that is a URL, or `--option=URL`, has its user info run to the last `@`
 * whatever it holds: a password with a space, which URL parsers accept, is hidden whole too (redactUrl,
 * which finds URLs inside longer text, stops at spaces).
 */
export const redactArg = (arg: string): string => redactUrl(arg.replace(/^((?:--?[\w-]+=)?[a-z][\w+.-]*:\/\/)(.*)@/is, hideAuth));

/** Parses a queue URL; InputError (with the redacted URL) on anything but redis:// or rediss:// with a host. */
export function parseQueueUrl(text: string): QueueAddress {
  // A query or fragment is refused, and may carry a password (`?password=`): the message shows neither.
  const shown = redactArg(text).replace(/([?#])[^]*$/, '$1***');
  const bad = (why: string) => new InputError(`--queue ${shown}: ${why} (expected redis://[user:password@]host:port[/db] or rediss://...)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`scheme ${url.protocol.slice(0, -1)} is not redis or rediss`);
  if (!url.hostname) throw bad('no host');
  if (url.search || url.hash) throw bad('query strings and fragments are not supported');
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw bad(`database '${dbText}' is not an integer >= 0`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return {
    connection: {
      host, port: url.port ? Number(url.port) : 6379, db,
      ...(username && { username }), ...(password && { password }),
      ...(url.protocol === 'rediss:' && { tls: { servername: host } }),
    },
    redacted: shown,
    hasPassword: password !== undefined,
  };
}

/** The queue from `--queue`, else $HONE_QUEUE (which keeps a password out of the process list). */
export function queueAddress(url: string | undefined, command: string): QueueAddress {
  const text = url ?? process.env.HONE_QUEUE;
  if (!text) throw new InputError(`${command}: give --queue redis://[user:password@]host:port (or set HONE_QUEUE)`);
  return parseQueueUrl(text);
}
