/**
 * FreeSWITCH's load as the shedding marks read it, from one poller per node: the nodes' summed
 * load for /health and /metrics (and a call whose node cannot be told), and for a call whose node
 * is known, that node's sessions against its own max-sessions with the summed sessions-per-second
 * cap (core/fs-nodes loadForNode). A node whose link is down has no reading: its calls read the sum.
 * The same object is handed out until a reading changes: the shedder counts the calls accepted
 * since a reading by its identity.
 */
import type { FreeswitchLoadPoller } from '../adapters/esl/freeswitch-load.js';
import type { FreeswitchLoad } from '../core/capacity/index.js';
import { combinedLoad, loadForNode, type CallOrigin } from '../core/fs-nodes/index.js';

export type NodeLocator = (origin: CallOrigin) => { readonly name: string } | undefined;

export class FreeswitchLoads {
  private readonly pollers = new Map<string, Pick<FreeswitchLoadPoller, 'current'>>();
  private locate: NodeLocator | undefined;
  private sum: { readonly readings: readonly (FreeswitchLoad | undefined)[]; readonly load: FreeswitchLoad | undefined } = { readings: [], load: undefined };
  private readonly perNode = new Map<string, { readonly node: FreeswitchLoad; readonly all: FreeswitchLoad; readonly load: FreeswitchLoad }>();

  add(name: string, poller: Pick<FreeswitchLoadPoller, 'current'>): void {
    this.pollers.set(name, poller);
  }

  /** How a call's origin names its node (several nodes). */
  locateBy(locate: NodeLocator): void {
    this.locate = locate;
  }

  current(origin?: CallOrigin): FreeswitchLoad | undefined {
    const all = this.total();
    if (origin === undefined || this.pollers.size < 2 || all === undefined || this.locate === undefined) return all;
    const name = this.locate(origin)?.name;
    const node = name === undefined ? undefined : this.pollers.get(name)?.current();
    if (name === undefined || node === undefined) return all;
    const seen = this.perNode.get(name);
    if (seen?.node === node && seen.all === all) return seen.load;
    const load = loadForNode(node, all);
    this.perNode.set(name, { node, all, load });
    return load;
  }

  private total(): FreeswitchLoad | undefined {
    const readings = [...this.pollers.values()].map((p) => p.current());
    const last = this.sum.readings;
    if (readings.length !== last.length || readings.some((r, i) => r !== last[i])) this.sum = { readings, load: combinedLoad(readings) };
    return this.sum.load;
  }
}
