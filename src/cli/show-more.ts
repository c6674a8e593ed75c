/** The lineage, annotation, provenance and log parts of `hone show`. */
import { listRunIds, readLogTail, readRunRecord, runDirOf } from '../core/store';
import { kindOf, type RunRecord } from '../core/store/types';
import { provenanceWording } from '../core/format';
import { oneLine } from './terminal';

/** Kind, parent, children (runs made from this one), tags, star, note. */
export function lineageLines(store: string, r: RunRecord): string[] {
  const children = listRunIds(store).flatMap((id) => {
    const c = readRunRecord(runDirOf(store, id));
    return c?.parent === r.id ? [`${c.id} (${oneLine(c.name)}, ${c.kind ?? 'train'}, ${c.status})`] : [];
  });
  const parent = r.parent ? readRunRecord(runDirOf(store, r.parent)) : undefined;
  return [
    `kind      ${r.kind ?? 'train'}`,
    ...(r.parent ? [`parent    ${r.parent}${parent ? ` (${oneLine(parent.name)}, ${parent.status})` : ' (not in this store)'}`] : []),
    ...(r.parentRemoved ? [`parent    ${r.parentRemoved.id} (${oneLine(r.parentRemoved.name)}), removed ${r.parentRemoved.removed}`] : []),
    ...(children.length ? [`children  ${children.join('\n          ')}`] : []),
    ...(r.tags?.length ? [`tags      ${r.tags.map((t) => JSON.stringify(t)).join(' ')}`] : []),
    ...(r.starred ? ['starred   \u2605'] : []),
    ...(r.resumed ?? []).map((x) => `resumed   ${x.at} from the checkpoint of epoch ${x.fromEpoch} (was ${x.was})`),
    ...(r.note ? [`note      ${r.note.split('\n').join('\n          ')}`] : []),
  ];
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * A log as a terminal showed it: a line redrawn with carriage returns (tqdm's progress bar) keeps only the
 * text after its last `\r`, its final state; a `\r\n` line ending is an ending, not a redraw.
 */
export function lastDrawn(log: string): string {
  return log.split('\n').map((l) => {
    const line = l.replace(/\r+$/, '');
    return line.slice(line.lastIndexOf('\r') + 1);
  }).join('\n');
}

/** The end of a run's log for `hone show`: about `chars` characters of whole lines, as last drawn. */
export function logTail(runDir: string, chars = 1200): string {
  // Read well beyond `chars`: redrawn progress bars can fill many kilobytes that show as one short line.
  const shown = lastDrawn(readLogTail(runDir, 32 * chars)).trimEnd();
  if (shown.length <= chars) return shown;
  const cut = shown.slice(-chars);
  return cut.includes('\n') ? cut.slice(cut.indexOf('\n') + 1) : cut;
}

/** Where the result came from: command, code, data, machine, versions. */
export function provenanceLines(r: RunRecord): string[] {
  const p = r.provenance;
  const versions = Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  if (!p) return ['provenance: not recorded (a run made before Hone recorded it)', `versions  ${versions}`, ''];
  const git = p.git
    ? `git ${short(p.git.commit)}${p.git.branch ? ` (${p.git.branch})` : ''}${p.git.dirty ? `, dirty: ${p.git.diffFile ? `diff saved as ${p.git.diffFile}` : 'no tracked changes'}${p.git.untracked?.length ? `, ${p.git.untracked.length} untracked file(s)` : ''}` : ', clean'}`
    : provenanceWording(kindOf(r)).code;
  const m = p.machine;
  return [
    'provenance:',
    `  command  ${oneLine(p.command.join(' '))}  (in ${oneLine(p.cwd)})`,
    `  code     ${git}`,
    ...(p.data ? [`  data     sha256 ${short(p.data.sha256)}`, ...(p.data.files ?? []).map((f) => `           ${oneLine(f.path)} (${f.bytes} bytes, sha256 ${short(f.sha256)})`)] : []),
    `  machine  ${kindOf(r) === 'import' ? '(imported on) ' : ''}${m.host}: ${m.cpu}, ${m.cores} cores, ${Math.round(m.memoryMB / 1024)} GiB, ${m.os}${m.gpus?.length ? `; ${m.gpus.join('; ')}` : ''}`,
    `  versions ${versions}`,
    '',
  ];
}
