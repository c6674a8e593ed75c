/**
 * The webview's only channel to its host: VS Code's webview API when there is one, otherwise the
 * standalone export's in-page data. Views never talk to either directly.
 */
import { fromWire, type HostMessage, type WebviewMessage } from '../src/core/dashboard/protocol';
import { standaloneHost } from './standalone';

export interface Host {
  post(msg: WebviewMessage): void;
  listen(fn: (msg: HostMessage) => void): void;
  /** UI state kept across hide/show and reloads. */
  getState(): unknown;
  setState(state: unknown): void;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Defined by VS Code in webviews; callable once per page.
  // eslint-disable-next-line no-var
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export function connectHost(): Host {
  if (typeof globalThis.acquireVsCodeApi !== 'function') return standaloneHost();
  const api = globalThis.acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
    listen: (fn) => window.addEventListener('message', (e: MessageEvent) => fn(fromWire<HostMessage>(e.data))),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
