/**
 * What each command takes: its options and how many arguments. main.ts parses the options of every
 * command with one table (a flag must parse before the command is known), so without this check a flag
 * meant for another command (`hone run spec --trials 5`, `hone tag <run> x --json`) or a stray argument
 * (`hone ls completed`) was silently ignored, and the command did something other than what was asked.
 */
import { InputError } from '../core/errors';

interface Takes {
  /** Option names (as parseArgs keys them) besides --help. */
  options: string[];
  /** The most arguments after the command's words (`sweep show` is two words). */
  args: number;
  /** Why a further argument is wrong, said after it. */
  argsHint?: string;
  /** Why an option is not taken, where the general hint (which commands take it) would mislead. */
  why?: Record<string, string>;
}

const ANY = Infinity;
const ONE_RUN = 'one run at a time';
const ONE_SWEEP = 'one sweep at a time';
/** Commands that read or write the store take --store too. */
const store = (t: Takes): Takes => ({ ...t, options: ['store', ...t.options] });

export const COMMANDS: Record<string, Takes> = {
  run: store({ options: ['set', 'parallel', 'json', 'queue'], args: ANY }),
  ls: store({ options: ['filter', 'sort', 'limit', 'json'], args: 0, argsHint: "select runs with --filter, e.g. --filter 'status=completed'" }),
  show: store({ options: ['json'], args: 1, argsHint: ONE_RUN }),
  compare: store({ options: ['all', 'json'], args: ANY }),
  stop: store({ options: [], args: 1, argsHint: ONE_RUN }),
  resume: store({ options: ['json'], args: 1, argsHint: ONE_RUN, why: { set: 'a resumed run goes on with the spec it started with' } }),
  compress: store({ options: ['set', 'json'], args: 2, argsHint: 'a run, then at most one spec file' }),
  unpack: store({ options: ['out'], args: 1, argsHint: 'one model.hone file or run at a time' }),
  attack: store({ options: ['eps', 'norm', 'attacks', 'points', 'set', 'json'], args: 1, argsHint: ONE_RUN }),
  rm: store({ options: ['filter', 'yes', 'with-children', 'detach', 'sweep'], args: ANY }),
  tag: store({ options: ['remove'], args: ANY }),
  note: store({ options: [], args: ANY }),
  star: store({ options: ['remove'], args: ANY }),
  export: store({ options: ['format', 'out'], args: 1, argsHint: ONE_RUN }),
  dashboard: store({ options: ['out'], args: 0, argsHint: 'it shows the whole store; --out FILE.html names the file' }),
  report: store({ options: ['out'], args: ANY }),
  sweep: store({ options: ['set', 'trials', 'parallel', 'json', 'queue'], args: 1, argsHint: 'one spec file at a time' }),
  'sweep resume': store({ options: ['trials', 'parallel', 'json', 'queue'], args: 1, argsHint: ONE_SWEEP, why: { set: 'a sweep goes on with the spec it started with' } }),
  'sweep show': store({ options: ['json'], args: 1, argsHint: ONE_SWEEP }),
  'sweep stop': store({ options: [], args: 1, argsHint: ONE_SWEEP }),
  'sweep ls': store({ options: ['json'], args: 0 }),
  exec: store({ options: ['name', 'set', 'json', 'queue'], args: ANY }),
  import: store({ options: ['name', 'force', 'json'], args: 2, argsHint: 'tensorboard, then one logdir' }),
  agent: { options: ['queue', 'concurrency', 'tags', 'name', 'lock-ms', 'max-artifact-mb', 'allow-exec', 'data-dir'], args: 0, argsHint: 'expected nothing, or ls', why: { store: 'an agent keeps no store: runs arrive in the store of the command that queued them' } },
  'agent ls': { options: ['queue', 'json'], args: 0 },
  data: { options: ['dir'], args: 1, argsHint: 'expected mnist', why: { store: 'it uses no store; --dir DIR says where MNIST goes' } },
  'backend ls': { options: ['json'], args: 0, why: { store: 'it uses no store' } },
  'backend install': { options: [], args: 1, argsHint: 'one backend at a time', why: { store: 'it uses no store' } },
};

/** `sweep show` when that is a command of its own, else `sweep`; undefined for an unknown command. */
export function commandOf(positionals: string[]): { name: string; args: string[] } | undefined {
  const [first, second, ...rest] = positionals;
  if (second !== undefined && COMMANDS[`${first} ${second}`]) return { name: `${first} ${second}`, args: rest };
  return Object.hasOwn(COMMANDS, first) ? { name: first, args: positionals.slice(1) } : undefined;
}

/** ` (hone sweep takes it)`: where an option belongs, when few commands take it. */
function takenBy(option: string): string {
  const names = Object.keys(COMMANDS).filter((c) => COMMANDS[c].options.includes(option)).map((c) => `hone ${c}`);
  if (!names.length || names.length > 3) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return ` (${list} take${names.length === 1 ? 's' : ''} it)`;
}

/**
 * Refuses (InputError: exit 2, nothing done) an option `name` does not take, or more arguments than it
 * takes. `given`: the options on the command line, keyed as parseArgs keys them.
 */
export function checkTaken(name: string, given: string[], args: string[]): void {
  const t = COMMANDS[name];
  for (const option of given) {
    if (option === 'help' || t.options.includes(option)) continue;
    const why = t.why?.[option] ? ` (${t.why[option]})` : takenBy(option);
    throw new InputError(`hone ${name}: --${option} is not taken here${why}`);
  }
  if (args.length > t.args) {
    const hint = t.argsHint ?? (t.args === 0 ? 'it takes no arguments' : undefined);
    throw new InputError(`hone ${name}: unexpected '${args[t.args]}'${hint ? ` (${hint})` : ''}`);
  }
}
