/**
 * The host of an exported page (`hone dashboard --out`): it answers the webview's messages from the data
 * inlined in the page, as the extension's DashboardFeed would from the store. `#hone-init` holds the init
 * message, `#hone-open` (when there) the view to open after it; each `script[data-run]` a run's series and detail (compressed), decoded the first time the run
 * is shown.
 */
import { wireReviver, type DetailMessage, type HostMessage, type SeriesMessage, type WebviewMessage } from '../src/core/dashboard/protocol';
import type { Host } from './host';

interface RunData {
  series: SeriesMessage;
  detail?: DetailMessage;
}

/** Inverse of the export's `encodeRun`: base64, then zlib inflate (the browser's own), then JSON. */
async function decodeRun(text: string): Promise<RunData> {
  const bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return JSON.parse(await new Response(stream).text(), wireReviver) as RunData;
}

export function standaloneHost(): Host {
  const listeners: ((msg: HostMessage) => void)[] = [];
  const deliver = (msg: HostMessage | undefined) => msg && setTimeout(() => listeners.forEach((fn) => fn(msg)));
  const json = (id: string) => {
    const text = document.getElementById(id)?.textContent;
    return text ? (JSON.parse(text, wireReviver) as HostMessage) : undefined;
  };
  const [init, open] = [json('hone-init'), json('hone-open')];
  // The run elements follow this script in the page: they exist once the document is parsed.
  const parsedDocument = new Promise<void>((resolve) =>
    document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', () => resolve()) : resolve());
  const parsed = new Map<string, RunData>();
  const runData = async (id: string): Promise<RunData | undefined> => {
    await parsedDocument;
    const el = document.querySelector(`script[data-run="${CSS.escape(id)}"]`);
    if (!parsed.has(id) && el) parsed.set(id, await decodeRun(el.textContent!));
    return parsed.get(id);
  };
  let watched = new Set<string>();
  const key = `hone-dashboard:${init?.type === 'init' ? init.store : ''}`;
  return {
    post(msg: WebviewMessage) {
      if (msg.type === 'ready') [init, open].forEach(deliver);
      else if (msg.type === 'watch') {
        for (const id of msg.runIds) if (!watched.has(id)) void runData(id).then((d) => deliver(d?.series));
        watched = new Set(msg.runIds);
      } else if (msg.type === 'detail') void runData(msg.runId).then((d) => deliver(d?.detail));
    },
    listen: (fn) => void listeners.push(fn),
    getState: () => {
      try {
        return JSON.parse(sessionStorage.getItem(key) ?? 'null');
      } catch {
        return null;
      }
    },
    setState: (state) => {
      try {
        sessionStorage.setItem(key, JSON.stringify(state));
      } catch {
        // Storage can be disabled (file:// in some browsers): the page still works, without memory.
      }
    },
  };
}
