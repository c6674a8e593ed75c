/**
 * Where MNIST is, and getting it when it is not. A spec that says `"source": "mnist"` without a path
 * uses the first folder of `mnistFolders()` that holds the four files: `$HONE_DATASETS/mnist`, the user's
 * `~/.hone/datasets/mnist` (where `hone data mnist` puts them), then the copy a clone of Hone carries in
 * `data/mnist`. Data is fetched only when the user asks (`hone data mnist`), from the canonical public
 * mirrors, and every file is checked against the SHA-256 sums below before it is kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The four gz files of the MNIST distribution (LeCun et al. 1998). */
export const MNIST_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
] as const;

export type MnistFile = (typeof MNIST_FILES)[number];
export type MnistSums = Record<MnistFile, string>;

/**
 * SHA-256 of the four files as LeCun et al. published them, and as every mirror serves them
 * (9,912,422 / 28,881 / 1,648,877 / 4,542 bytes). A download must match these.
 */
export const MNIST_SHA256: MnistSums = {
  'train-images-idx3-ubyte.gz': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
  'train-labels-idx1-ubyte.gz': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
  't10k-images-idx3-ubyte.gz': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
  't10k-labels-idx1-ubyte.gz': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
};

/**
 * SHA-256 of the copy a clone carries in `data/mnist` (from the project's shared datasets). It is not
 * LeCun's files: the same labels, but the images inverted (background 255) through a non-linear tone
 * curve, and re-gzipped; data/mnist/README.md says how it differs. A folder holding it is accepted and
 * named as that copy; a download never is.
 */
export const CLONE_MNIST_SHA256: MnistSums = {
  'train-images-idx3-ubyte.gz': '50a1c509fc586eb1757167c36f83047809df64a6a39522fdc9631434b6b4c1dd',
  'train-labels-idx1-ubyte.gz': '00dd79c731b84acd8cce3fd928bff62d8ace154643876f23ee190812f4194333',
  't10k-images-idx3-ubyte.gz': '586cc666f51dfe416abebe1a69f27770481275f414b0eff00f92afb0f58a0f4c',
  't10k-labels-idx1-ubyte.gz': 'f80e211989d8905f7ebd661b6ee388a41e6bc1ae0604dc279d467f577a6efaec',
};

/** Public mirrors, tried in order: PyTorch's, TensorFlow's, then the original site. */
export const MNIST_MIRRORS = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'http://yann.lecun.com/exdb/mnist/',
];

/** The folder `hone data mnist` fills by default. */
export const userMnistDir = (): string => join(process.env.HONE_DATASETS ?? join(homedir(), '.hone', 'datasets'), 'mnist');

/** A clone's `data/mnist`, found by walking up from this module (source tree and dist/ bundles alike). */
function repoMnistDir(from: string = __dirname): string | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'data', 'mnist', MNIST_FILES[0])) && existsSync(join(dir, 'package.json'))) return join(dir, 'data', 'mnist');
  }
  return undefined;
}

/** The folders searched for MNIST, in order (the clone's copy last, when there is one). */
export function mnistFolders(): string[] {
  const repo = repoMnistDir();
  return [userMnistDir(), ...(repo ? [repo] : [])];
}

/** Where one of MNIST_FILES is in `dir`: as published (gz), or uncompressed (`name` without .gz); undefined when neither is. */
export const mnistFileIn = (dir: string, gz: string): string | undefined => [join(dir, gz), join(dir, gz.replace(/\.gz$/, ''))].find((f) => existsSync(f));

export const hasMnist = (dir: string): boolean => MNIST_FILES.every((f) => existsSync(join(dir, f)));

/** The first folder of `mnistFolders()` holding all four files, or undefined. */
export const findMnist = (): string | undefined => mnistFolders().find(hasMnist);

/** The folder an MNIST spec reads: its `path` against `baseDir`, or the one `findMnist` finds; throws when none. */
export function mnistDir(path: string | undefined, baseDir: string): string {
  if (path !== undefined) return resolve(baseDir, path);
  const found = findMnist();
  if (!found) throw new Error(`MNIST is in none of ${mnistFolders().join(', ')}: \`hone data mnist\` downloads it`);
  return found;
}

export interface FetchOptions {
  mirrors?: string[];
  /** The sums a download must match; default LeCun's (`MNIST_SHA256`). */
  sums?: MnistSums;
  /** Per file and mirror; default 120 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The sha256 of each MNIST file in `dir` (undefined for a missing one), each file read once. */
const sumsIn = (dir: string): (string | undefined)[] => MNIST_FILES.map((f) => (existsSync(join(dir, f)) ? sha256(readFileSync(join(dir, f))) : undefined));

/** The files of `dir` that are missing or whose checksum is not the one `sums` gives. */
export function badMnistFiles(dir: string, sums: MnistSums = MNIST_SHA256): MnistFile[] {
  const found = sumsIn(dir);
  return MNIST_FILES.filter((f, i) => found[i] !== sums[f]);
}

/** Which MNIST a folder holds, all four files checked: LeCun's files, or the copy a clone carries. */
export type MnistCopy = 'lecun' | 'clone';

/** The MNIST `dir` holds, or undefined when its files are missing or match neither set of sums. */
export function mnistCopyIn(dir: string): MnistCopy | undefined {
  const found = sumsIn(dir);
  const holds = (sums: MnistSums) => MNIST_FILES.every((f, i) => found[i] === sums[f]);
  return holds(MNIST_SHA256) ? 'lecun' : holds(CLONE_MNIST_SHA256) ? 'clone' : undefined;
}

/**
 * Downloads the files of `dir` that are missing or damaged, each from the first mirror that serves it
 * with the right checksum; a file is written only once verified (temp file + rename, replacing a damaged
 * one). Throws, naming every mirror and why it failed, when a file cannot be had. Returns what it fetched.
 */
export async function fetchMnist(dir: string, o: FetchOptions = {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const got: string[] = [];
  const sums = o.sums ?? MNIST_SHA256;
  for (const file of badMnistFiles(dir, sums)) {
    const why: string[] = [];
    let data: Uint8Array | undefined;
    for (const mirror of o.mirrors ?? MNIST_MIRRORS) {
      const url = new URL(file, mirror).toString();
      try {
        o.log?.(`fetching ${url}`);
        const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 120_000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = new Uint8Array(await res.arrayBuffer());
        const sum = sha256(body);
        if (sum !== sums[file]) throw new Error(`checksum mismatch (sha256 ${sum}, expected ${sums[file]})`);
        data = body;
        break;
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        why.push(`${url}: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
      }
    }
    if (!data) throw new Error(`could not download ${file}:\n  ${why.join('\n  ')}`);
    const tmp = join(dir, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, join(dir, file));
    } finally {
      rmSync(tmp, { force: true });
    }
    got.push(file);
  }
  return got;
}
