/**
 * The messages between the dashboard webview and its host: the VS Code extension, or the standalone
 * export's in-page shim. The host speaks first with `init`; the webview says `ready` once it listens,
 * `watch` for the runs whose curves it shows, `detail` for a run's files and log. Types only: the
 * webview imports this file, so it must not import Node modules.
 */
import type { Provenance, RunKind, RunStatus } from '../store/types';
import type { SweepView } from '../sweep/view';
import type { PartitionStats } from '../federated/summary';

export const DASHBOARD_PROTOCOL = 1;

const NON_FINITE = '$nonFinite';

/**
 * Host messages cross as JSON (VS Code's postMessage, the exported page), which has no NaN or Infinity: a
 * diverged run's final loss would arrive as null. JSON.stringify's replacer that writes them as
 * `{"$nonFinite": "NaN"}`; `wireReviver` turns that back into the number.
 */
export const wireReplacer = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v);

export const wireReviver = (_key: string, v: unknown): unknown =>
  v !== null && typeof v === 'object' && Object.keys(v).length === 1 && NON_FINITE in v ? Number((v as Record<string, string>)[NON_FINITE]) : v;

/** A message as it crosses (NaN and Infinity kept by wireReplacer), and back. */
export const toWire = <T>(m: T): unknown => JSON.parse(JSON.stringify(m, wireReplacer));
export const fromWire = <T>(m: unknown): T => JSON.parse(JSON.stringify(m), wireReviver) as T;

/** One run as the dashboard shows it: a pure function of its run.json (`runInfo`). */
export interface RunInfo {
  id: string;
  /** What made the run: Hone's training, a tracked command, an import. */
  kind: RunKind;
  name: string;
  experiment: string;
  status: RunStatus;
  backend?: string;
  created: string;
  started?: string;
  finished?: string;
  /** Total time when finished; while running, from start to the last heartbeat. */
  durationMs?: number;
  epochsDone: number;
  epochsPlanned: number;
  /** The spec snapshot (after defaults and overrides): the source of the hyperparameter columns. */
  spec: unknown;
  overrides: string[];
  /** Final metrics; while a run trains, its last completed epoch's. */
  final: Record<string, number>;
  best: Record<string, number>;
  bestEpoch?: number;
  message?: string;
  model?: { params: number; layers: string[] };
  /** The run it was made from (lineage), and who that was when it has since been deleted. */
  parent?: string;
  parentRemoved?: { id: string; name: string; removed: string };
  /** The user's annotations. */
  tags: string[];
  note?: string;
  starred: boolean;
  /** Set for a trial of a sweep. */
  sweep?: { id: string; trial: number };
}

/** A run's files, log tail and provenance: what the Run detail view shows beyond `RunInfo`. */
export interface RunDetail {
  runDir: string;
  /** Files that exist, by the name a `reveal` message uses. */
  files: { file: Revealable; label: string; path: string }[];
  logTail: string;
  backendReason?: string;
  skipped: Record<string, string>;
  versions: Record<string, string>;
  host: string;
  seed: number;
  specPath?: string;
  /** Where the result came from: command, git commit and diff, machine, data hashes. */
  provenance?: Provenance;
  /** A federated run's clients as its partition.json describes them (sizes, labels held, Byzantine). */
  partition?: PartitionStats;
}

/** Points of one metric of one run, column-wise; `y` is null where the value was NaN or infinite. */
export interface SeriesPoints {
  step: number[];
  epoch: number[];
  time: number[];
  y: (number | null)[];
  /**
   * Only in a downsampled series (downsample.ts): at the last point of each bucket of raw points, the mean
   * and count of the bucket's finite values (null and 0 at its other points), which smoothing averages.
   */
  mean?: (number | null)[];
  count?: number[];
}

/** Replaces a series' points from index `from` on with these (`from` 0: the whole series). */
export interface SeriesPatch extends SeriesPoints {
  from: number;
}

export interface InitMessage {
  type: 'init';
  protocol: typeof DASHBOARD_PROTOCOL;
  store: string;
  runs: RunInfo[];
  /** Every sweep of the store, oldest first (absent from hosts that predate sweeps). */
  sweeps?: SweepView[];
  /** True in the exported HTML: there is no host to reveal files. */
  standalone?: boolean;
}

/** Host -> webview. */
export type HostMessage =
  | InitMessage
  | { type: 'runs'; upsert: RunInfo[]; removed: string[] }
  /** Every sweep again, sent when any of them changed (a sweep record is small and rewritten whole). */
  | { type: 'sweeps'; sweeps: SweepView[] }
  /** New points of a watched run; `lines` counts the metric lines read so far. */
  | { type: 'series'; runId: string; lines: number; metrics: Record<string, SeriesPatch> }
  | { type: 'detail'; runId: string; detail: RunDetail }
  /** Show a view, e.g. Compare for the runs selected in the tree, the Sweep view of one sweep, Trade-offs of runs or of a sweep's trials. */
  | { type: 'open'; view: string; runIds?: string[]; sweepId?: string }
  /** The host could not read the store (the page shows `message`), or can again (no `message`: the page clears it). */
  | { type: 'error'; message?: string };

export type SeriesMessage = Extract<HostMessage, { type: 'series' }>;
export type DetailMessage = Extract<HostMessage, { type: 'detail' }>;

/** Files a webview may ask the host to reveal or open, by name: it never sends paths. `diff`: the git diff of a dirty tree. */
export const REVEALABLE = ['folder', 'run', 'metrics', 'log', 'model', 'spec', 'diff'] as const;
export type Revealable = (typeof REVEALABLE)[number];

/** A change to a run's annotations (tags, note, star), as the Run detail view edits them. */
export interface AnnotationChange {
  addTags?: string[];
  removeTags?: string[];
  /** Replaces the note; '' removes it. */
  note?: string;
  starred?: boolean;
}

/** Webview -> host; validated by `parseWebviewMessage` before use. */
export type WebviewMessage =
  | { type: 'ready' }
  /** The complete set of runs whose series the webview shows now (replaces the previous set). */
  | { type: 'watch'; runIds: string[] }
  | { type: 'detail'; runId: string }
  | { type: 'reveal'; runId: string; file: Revealable }
  /** Open a run's file in the editor (the folder and the model are revealed instead). */
  | { type: 'openFile'; runId: string; file: Revealable }
  | ({ type: 'annotate'; runId: string } & AnnotationChange);

/** At most this many runs are watched at once; the webview caps what it asks for. */
export const MAX_WATCHED = 64;
