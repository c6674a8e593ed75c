// A tiny HTTP server on 127.0.0.1 serving a folder's files, so tests can load saved models the way a
// browser does (tf.loadLayersModel over http).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export async function serveFolder(dir: string): Promise<{ base: string; close(): void }> {
  const server = createServer((req, res) => res.end(readFileSync(join(dir, req.url!.slice(1)))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
