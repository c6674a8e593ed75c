/**
 * The host's half of one dashboard page, free of vscode: which messages reach the page and when. The
 * extension hands it every webview message and every refresh tick, and does only the VS Code parts
 * (reveal, open, notify) itself, so what follows is tested without VS Code.
 *
 * A hidden page is unloaded (no retainContextWhenHidden) and says `ready` again when shown; its `init`
 * then carries every run and sweep as they are now. So while the page loads only the latest `open`
 * waits (init does not carry it), and whatever an earlier load of the page had coming (a poll's run
 * statuses, series, details) is dropped rather than applied over the fresher init. A store the feed
 * cannot read (init or poll throws) is shown in the page as an `error` message, retried at every
 * refresh, and cleared once reading works again; before this the page showed "Loading runs..." forever.
 */
import type { DashboardFeed, FeedReply } from './feed';
import type { HostMessage } from './protocol';

type OpenMessage = Extract<HostMessage, { type: 'open' }>;

/** `hidden`: no page listens. `starting`: its init is being read. `failed`: it has none; a refresh retries. */
type PageState = 'hidden' | 'starting' | 'failed' | 'live';

export class PageLink {
  private state: PageState = 'hidden';
  /** Bumped at every (re)load of the page: what was read for an earlier load is stale. */
  private load = 0;
  private waiting?: OpenMessage;
  /** The page shows an error. */
  private showsError = false;

  constructor(private readonly feed: Pick<DashboardFeed, 'storeDir' | 'init' | 'poll' | 'receive'>, private readonly send: (m: HostMessage) => void) {}

  /** Sends `m` to the page; while the page loads, an `open` waits (the latest one) and anything else is dropped. */
  post(m: HostMessage): void {
    if (this.state !== 'hidden') this.send(m);
    else if (m.type === 'open') this.waiting = m;
  }

  /** The page was hidden, so unloaded: nothing reaches it until its next `ready`. */
  hidden(): void {
    this.state = 'hidden';
    this.load++;
  }

  /**
   * Answers one message from the page and posts the reply's messages; returns the reply for the rest
   * (reveal, open, error). `ready` starts a new load: init, then the `open` that waited.
   */
  async receive(raw: unknown): Promise<FeedReply> {
    const isReady = (raw as { type?: unknown } | null)?.type === 'ready';
    if (isReady) {
      this.state = 'starting';
      this.load++;
    }
    const load = this.load;
    let reply: FeedReply;
    try {
      reply = await this.feed.receive(raw);
    } catch (e) {
      if (load !== this.load) return { messages: [] };
      if (isReady) this.state = 'failed';
      this.fail(e);
      reply = { messages: [], error: (e as Error).message };
    }
    if (load !== this.load) return { ...reply, messages: [] };
    if (isReady && this.state === 'starting') this.succeeded();
    reply.messages.forEach((m) => this.send(m));
    if (isReady && this.waiting) {
      this.send(this.waiting);
      this.waiting = undefined;
    }
    return reply;
  }

  /** A refresh tick: posts what changed since the last one, or, while the page has no init, tries init again. */
  async refresh(): Promise<void> {
    if (this.state !== 'live' && this.state !== 'failed') return;
    const load = this.load;
    const retry = this.state === 'failed';
    if (retry) this.state = 'starting';
    try {
      const messages = retry ? [await this.feed.init()] : await this.feed.poll();
      if (load !== this.load) return;
      this.succeeded();
      messages.forEach((m) => this.send(m));
    } catch (e) {
      if (load !== this.load) return;
      if (retry) this.state = 'failed';
      this.fail(e);
    }
  }

  private succeeded(): void {
    this.state = 'live';
    if (this.showsError) this.send({ type: 'error' });
    this.showsError = false;
  }

  private fail(e: unknown): void {
    this.showsError = true;
    this.send({ type: 'error', message: `Could not read the store ${this.feed.storeDir}: ${(e as Error)?.message ?? String(e)}` });
  }
}
