// PageLink: what the extension's dashboard panel posts to its page, and when. A store the feed cannot
// read is shown in the page and retried; while the page (re)loads only an `open` waits; what was read
// for an earlier load of the page never reaches a later one.
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DashboardFeed, DASHBOARD_PROTOCOL, PageLink, type FeedReply, type HostMessage, type InitMessage } from '../../src/core/dashboard';
import { createRun } from '../../src/core/store';
import { fakeRun } from '../helpers/store-fixtures';
import { makeTmpDir, removeTmpDir } from '../helpers/tmp';

const init = (n: number): InitMessage => ({ type: 'init', protocol: DASHBOARD_PROTOCOL, store: `/store/${n}`, runs: [] });
const running: HostMessage = { type: 'runs', upsert: [], removed: ['stale'] };
const open: HostMessage = { type: 'open', view: 'compare', runIds: ['a'] };

/** A feed whose answers the test gives, one promise at a time, as a slow store would. */
function fakeFeed() {
  let inits = 0;
  const polls: { resolve: (m: HostMessage[]) => void; reject: (e: Error) => void }[] = [];
  const feed = {
    storeDir: '/store',
    failInit: undefined as string | undefined,
    async init() {
      if (feed.failInit) throw new Error(feed.failInit);
      return init(++inits);
    },
    poll: () => new Promise<HostMessage[]>((resolve, reject) => polls.push({ resolve, reject })),
    async receive(raw: unknown): Promise<FeedReply> {
      return (raw as { type: string }).type === 'ready' ? { messages: [await feed.init()] } : { messages: [] };
    },
  };
  return { feed, polls };
}

function linked() {
  const { feed, polls } = fakeFeed();
  const sent: HostMessage[] = [];
  return { feed, polls, sent, link: new PageLink(feed, (m) => sent.push(m)) };
}

describe('dashboard: page link', () => {
  it('shows a store it cannot read in the page, retries init at each refresh, and clears the error once it reads', async () => {
    const { feed, sent, link } = linked();
    feed.failInit = "invalid run id 'backup copy'";
    const reply = await link.receive({ type: 'ready' });
    assert.equal(reply.error, "invalid run id 'backup copy'");
    assert.deepEqual(sent.splice(0), [{ type: 'error', message: "Could not read the store /store: invalid run id 'backup copy'" }]);
    await link.refresh();
    assert.deepEqual(sent.splice(0).map((m) => m.type), ['error'], 'still failing: said again');
    feed.failInit = undefined;
    await link.refresh();
    assert.deepEqual(sent.splice(0), [{ type: 'error' }, init(1)]);
  });

  it('shows a poll that fails and clears it at the next poll that works', async () => {
    const { polls, sent, link } = linked();
    await link.receive({ type: 'ready' });
    sent.splice(0);
    const failing = link.refresh();
    polls.shift()!.reject(new Error('EACCES: permission denied'));
    await failing;
    assert.deepEqual(sent.splice(0), [{ type: 'error', message: 'Could not read the store /store: EACCES: permission denied' }]);
    const working = link.refresh();
    polls.shift()!.resolve([running]);
    await working;
    assert.deepEqual(sent.splice(0), [{ type: 'error' }, running]);
  });

  it('while the page loads keeps only the latest open; sends it after init', async () => {
    const { sent, link } = linked();
    link.post({ type: 'open', view: 'runs' });
    link.post(running);
    link.post(open);
    assert.deepEqual(sent, []);
    await link.receive({ type: 'ready' });
    assert.deepEqual(sent.splice(0), [init(1), open]);
    link.hidden();
    link.post(running);
    await link.receive({ type: 'ready' });
    assert.deepEqual(sent.splice(0), [init(2)], 'the run statuses came with init; the open was sent already');
  });

  it('drops a poll begun before the page reloaded: it would undo the fresher init', async () => {
    const { polls, sent, link } = linked();
    await link.receive({ type: 'ready' });
    const stale = link.refresh();
    link.hidden();
    await link.receive({ type: 'ready' });
    polls.shift()!.resolve([running]);
    await stale;
    assert.deepEqual(sent, [init(1), init(2)]);
    const next = link.refresh();
    assert.equal(polls.length, 1, 'the reloaded page is polled');
    polls.shift()!.resolve([]);
    await next;
  });

  it('does not poll a hidden page, nor one still waiting for its init', async () => {
    const { polls, link } = linked();
    await link.refresh();
    assert.equal(polls.length, 0);
    await link.receive({ type: 'ready' });
    link.hidden();
    await link.refresh();
    assert.equal(polls.length, 0);
  });

  describe('over a real feed', () => {
    let store: string;
    before(() => {
      store = makeTmpDir();
      createRun(store, fakeRun({ name: 'kept' }));
    });
    after(() => removeTmpDir(store));

    it('a runs/ that is a file: the page says so, then loads once it is a folder again', async () => {
      rmSync(join(store, 'runs'), { recursive: true });
      writeFileSync(join(store, 'runs'), 'not a folder');
      const sent: HostMessage[] = [];
      const feed = new DashboardFeed(store, { readOnly: true });
      const link = new PageLink(feed, (m) => sent.push(m));
      await link.receive({ type: 'ready' });
      assert.equal(sent.length, 1);
      assert.ok(sent[0].type === 'error' && sent[0].message?.startsWith(`Could not read the store ${store}: ENOTDIR`), JSON.stringify(sent));
      rmSync(join(store, 'runs'));
      createRun(store, fakeRun({ name: 'new' }));
      await link.refresh();
      assert.deepEqual(sent.slice(1).map((m) => m.type), ['error', 'init']);
      const loaded = sent[2] as InitMessage;
      assert.deepEqual(loaded.runs.map((r) => r.name), ['new']);
    });
  });
});
