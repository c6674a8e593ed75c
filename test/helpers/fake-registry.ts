// A local npm registry on 127.0.0.1 for install tests: it serves packuments and tarballs of packages a test
// writes, so a real npm installs them without the internet. Every request is recorded, and nothing else is served.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FakePackage {
  name: string;
  version: string;
  /** Lifecycle scripts of its package.json, e.g. `{ install: 'node install.js' }`. */
  scripts?: Record<string, string>;
  /** Other files of the package, by path inside it. package.json is made from the fields above. */
  files?: Record<string, string>;
}

export interface FakeRegistry {
  /** The registry's base URL, for `npm_config_registry`. */
  url: string;
  /** Every request path, in order (decoded). */
  requests: string[];
  close(): Promise<void>;
}

/** One 512-byte ustar header for a regular file. */
function tarHeader(path: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, at: number, len: number) => h.write(s, at, len, 'ascii');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(path, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8); // the checksum counts its own field as spaces
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** A gzipped tar of `files` under `package/`, the layout npm expects. */
export function packTarball(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    parts.push(tarHeader(`package/${path}`, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** Starts a registry serving `packages` (one version each); unknown names get a 404. */
export async function startFakeRegistry(packages: FakePackage[]): Promise<FakeRegistry> {
  const requests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, unknown>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    requests.push(path);
    const tarball = tarballs.get(path);
    const packument = packuments.get(path.slice(1));
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length });
      res.end(tarball);
    } else if (packument) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const p of packages) {
    const manifest = { name: p.name, version: p.version, scripts: p.scripts ?? {} };
    const tgz = packTarball({ 'package.json': JSON.stringify(manifest, null, 2), ...p.files });
    const file = `/${p.name}/-/${p.name.replace(/^@[^/]+\//, '')}-${p.version}.tgz`;
    tarballs.set(file, tgz);
    const dist = {
      tarball: url + file.slice(1),
      shasum: createHash('sha1').update(tgz).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
    };
    const hasInstallScript = ['preinstall', 'install', 'postinstall'].some((s) => s in manifest.scripts);
    packuments.set(p.name, { name: p.name, 'dist-tags': { latest: p.version }, versions: { [p.version]: { ...manifest, hasInstallScript, dist } } });
  }
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The environment for an npm that may only use `registry`: npm's own settings (registry, a fresh cache, no
 * update check, empty user and global npmrc files, all under `dir`) so a test neither reaches the internet nor touches the user's cache.
 */
export function npmEnvFor(registry: FakeRegistry, dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  for (const rc of ['userrc', 'globalrc']) writeFileSync(join(dir, rc), '');
  return {
    npm_config_registry: registry.url,
    npm_config_cache: join(dir, 'cache'),
    npm_config_userconfig: join(dir, 'userrc'),
    npm_config_globalconfig: join(dir, 'globalrc'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_fetch_retries: '0',
    // Anything not for the local registry goes to a closed port, so a stray request fails instead of going out.
    npm_config_proxy: 'http://127.0.0.1:9',
    npm_config_https_proxy: 'http://127.0.0.1:9',
    npm_config_noproxy: '127.0.0.1',
  };
}
