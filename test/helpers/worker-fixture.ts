// Run as `node worker-fixture.js SCENARIO NETNS`: a worker thread opens rtnl sockets in NETNS,
// and the main thread ends it as the scenario says (main-stream: the main thread streams and exits). The process must always exit with the
// status the main thread chose (7, or 0 for a natural exit), never by a signal.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { RtNetlink } from '../../src/index.js';

const RTNLGRP_LINK = 1;

/**
 * Streamed dumps of table 100 (filled by the test), one after another until the end comes: its
 * reads are made in the thread pool, and one is under way most of the time.
 */
async function streamForever(netns: string, report: (m: object) => void): Promise<never> {
  const rt = await RtNetlink.open({ netns });
  for (;;) {
    let n = 0;
    for await (const r of rt.route.iterate({ table: 100, family: 'inet6' })) if (r.table === 100) n++;
    report({ links: (await rt.link.list()).length, routes: n });
    report = () => undefined;
  }
}

async function inWorker(scenario: string, netns: string): Promise<void> {
  if (scenario.startsWith('stream')) {
    await streamForever(netns, (m) => { parentPort?.postMessage(m); parentPort?.postMessage('ready'); });
  } else if (scenario === 'unused') {
    RtNetlink.openSync({ netns });
  } else {
    // A socket in a multicast group, with a notification waiting for it, and one that answers.
    const watcher = await RtNetlink.open({ netns, groups: [RTNLGRP_LINK] });
    watcher.client.onNotification(() => undefined);
    const rt = await RtNetlink.open({ netns });
    const made = await rt.link.add({ kind: 'veth' });
    parentPort?.postMessage({ links: (await rt.link.list()).length, made: made.name });
    if (scenario === 'pending') void rt.link.get(made.index); // a request in flight as the end comes
  }
  parentPort?.postMessage('ready');
}

if (isMainThread) {
  const [scenario, netns] = process.argv.slice(2);
  // Without a namespace it would make links in the caller's own (run by `node --test`, say).
  if (!scenario || !netns) {
    console.error('usage: node worker-fixture.js SCENARIO NETNS');
    process.exit(64);
  }
  if (scenario === 'main-stream') {
    // The main thread itself exits while its next stream reads in the thread pool.
    await streamForever(netns, (m) => {
      console.log(JSON.stringify(m));
      setTimeout(() => process.exit(7), 20);
    });
  }
  const worker = new Worker(new URL(import.meta.url), { workerData: { scenario, netns } });
  worker.on('error', (e) => { console.error(e); process.exit(3); });
  worker.on('message', (m: unknown) => {
    if (m !== 'ready') {
      console.log(JSON.stringify(m));
      return;
    }
    if (scenario === 'exit' || scenario === 'stream-exit') process.exit(7);
    else if (scenario === 'natural') worker.unref();
    else void worker.terminate().then(() => process.exit(7));
  });
} else {
  const { scenario, netns } = workerData as { scenario: string; netns: string };
  await inWorker(scenario, netns);
}
