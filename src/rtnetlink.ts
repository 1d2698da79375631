/// <reference lib="esnext.disposable" preserve="true" />
// RtNetlink: one NETLINK_ROUTE socket, in this namespace or another, and the typed
// operations over it (rt.link, rt.address, rt.route, rt.rule, rt.nexthop, rt.neighbour,
// rt.neighbourTable, rt.fdb, rt.netconf, rt.nsid, rt.stats).
import { Client, type ClientOptions } from './client.js';
import { keeperReady } from './socket/fd-keeper.js';
import { withNetnsFd, type NetnsRef } from './netns/resolve.js';
import { LinkApi } from './api/link.js';
import { AddressApi } from './api/address.js';
import { RouteApi } from './api/route.js';
import { RuleApi } from './api/rule.js';
import { NexthopApi } from './api/nexthop.js';
import { NeighbourApi } from './api/neighbour.js';
import { NeighbourTableApi } from './api/neighbour-table.js';
import { FdbApi } from './api/fdb.js';
import { NetconfApi } from './api/netconf.js';
import { NsidApi } from './api/nsid.js';
import { StatsApi } from './api/stats.js';
import { AddrLabelApi } from './api/addrlabel.js';
import type { LinkRef, Session } from './api/session.js';
import { checkObject, invalid, optionKeys } from './errors.js';

export interface OpenOptions extends Omit<ClientOptions, 'netnsFd'> {
  /** The network namespace to work in: a name (under /run/netns), a path, or an open fd. Default: the caller's. */
  netns?: NetnsRef;
}
const OPEN_KEYS = optionKeys<OpenOptions>()('netns', 'timeout', 'dumpRetries', 'maxInFlight', 'transport', 'protocol', 'receiveBuffer', 'groups', 'allNsid');

export class RtNetlink implements Session {
  readonly link: LinkApi;
  readonly address: AddressApi;
  readonly route: RouteApi;
  readonly rule: RuleApi;
  readonly nexthop: NexthopApi;
  readonly neighbour: NeighbourApi;
  readonly neighbourTable: NeighbourTableApi;
  readonly fdb: FdbApi;
  readonly netconf: NetconfApi;
  readonly nsid: NsidApi;
  readonly stats: StatsApi;
  readonly addrlabel: AddrLabelApi;

  private constructor(
    readonly client: Client,
    /** The namespace this socket lives in, as given to open(). */
    readonly netns: NetnsRef | undefined,
  ) {
    this.link = new LinkApi(this);
    this.address = new AddressApi(this);
    this.route = new RouteApi(this);
    this.rule = new RuleApi(this);
    this.nexthop = new NexthopApi(this);
    this.neighbour = new NeighbourApi(this);
    this.neighbourTable = new NeighbourTableApi(this);
    this.fdb = new FdbApi(this);
    this.netconf = new NetconfApi(this);
    this.nsid = new NsidApi(this);
    this.stats = new StatsApi(this);
    this.addrlabel = new AddrLabelApi(this);
  }

  /**
   * Opens a socket. In a worker thread its descriptor is given to Node to close when the worker
   * ends, terminated or not (src/socket/fd-keeper.ts), which needs a file opened first.
   */
  static async open(opts: OpenOptions = {}): Promise<RtNetlink> {
    await keeperReady();
    return RtNetlink.openSync(opts);
  }

  /** The same, synchronously: for use inside NetNS.enter() and other synchronous code. */
  static openSync(opts: OpenOptions = {}): RtNetlink {
    checkObject('open options', opts, OPEN_KEYS);
    const { netns, ...rest } = opts;
    if (netns === null) throw invalid('open options: netns', 'null is not a namespace (leave it out for this one)');
    const client = netns === undefined
      ? new Client(rest)
      : withNetnsFd(netns, (netnsFd) => new Client({ ...rest, netnsFd }));
    return new RtNetlink(client, netns);
  }

  linkIndex(ref: LinkRef): Promise<number> {
    return this.link.indexOf(ref);
  }

  linkNames(indexes?: number[]): Promise<Map<number, string>> {
    return this.link.names(indexes);
  }

  /** Runs `fn` with a socket in another namespace (opened as open({ netns }) would), closed afterwards. */
  async inNetns<T>(netns: NetnsRef, fn: (inside: RtNetlink) => Promise<T>): Promise<T> {
    const inside = RtNetlink.openSync({ netns });
    try {
      return await fn(inside);
    } finally {
      inside.close();
    }
  }

  close(): void {
    this.client.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
