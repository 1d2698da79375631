// Reading a monitor's events in tests.
import type { Monitor, MonitorEvent } from '../../src/index.js';

/** Reads events until `until` says stop (or 5 s pass: then the test fails on what it has). */
export async function collect(m: Monitor, until: (evs: MonitorEvent[]) => boolean): Promise<MonitorEvent[]> {
  const evs: MonitorEvent[] = [];
  const timer = setTimeout(() => m.close(), 5000);
  // next() rather than for-await: a loop's break would close the monitor.
  for (let r = await m.next(); !r.done; r = await m.next()) {
    evs.push(r.value);
    if (until(evs)) break;
  }
  clearTimeout(timer);
  return evs;
}
