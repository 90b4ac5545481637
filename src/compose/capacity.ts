/**
 * The node's load shedding: FreeSWITCH's load over the inbound ESL (once it exists), the event
 * loop's delay, the marks from the settings; /health and /metrics say what it does. Over the same
 * connection, callers FreeSWITCH stranded in a dead `socket` go to the dialplan fallback.
 * Several FreeSWITCH nodes: each is polled and swept over its own link (a stranded caller can only
 * be moved by the node holding it); a call's admission reads its own node's load (./freeswitch-loads.ts).
 */
import { Counter, type Registry as PromRegistry } from 'prom-client';
import type { StatusApi } from '../adapters/esl/freeswitch-load.js';
import { FreeswitchLoads, type NodeLocator } from './freeswitch-loads.js';
import { FreeswitchLoadPoller } from '../adapters/esl/freeswitch-load.js';
import { StrandedCallerSweep } from '../adapters/esl/stranded-callers.js';
import { DIALPLAN_DEFAULTS } from '../dialplan/index.js';
import { FALLBACK_EXTENSION } from '../dialplan/fallback.js';
import type { HealthComponent } from '../adapters/http/app.js';
import { registerCapacityMetrics } from '../adapters/metrics/capacity-metrics.js';
import { EventLoopDelayMonitor } from '../adapters/timers/index.js';
import { LoadShedder, type CapacitySources } from '../app/call/index.js';
import type { Clock } from '../core/ports.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../settings/settings.js';

export interface Capacity {
  readonly shedder: LoadShedder;
  readonly health: HealthComponent;
  /** FreeSWITCH's load is read over the inbound connection; without one it is unknown (that mark is off). */
  attach(links: { readonly links: readonly { readonly name: string; readonly client: StatusApi }[]; readonly holding: NodeLocator } | undefined, prometheus: PromRegistry): void;
  /** Once the router is built: the event loop is measured from here, so the start's own stall sheds nothing. */
  start(): void;
  close(): void;
}

export function wireCapacity(settings: Settings, clock: Clock, logger: Logger): Capacity {
  const loop = new EventLoopDelayMonitor();
  let pollers: FreeswitchLoadPoller[] = [];
  let sweeps: StrandedCallerSweep[] = [];
  const log = logger.child({ component: 'capacity' });
  const loads = new FreeswitchLoads();
  const sources: CapacitySources = {
    freeswitch: (origin) => loads.current(origin),
    eventLoopDelayMs: () => loop.current(),
    routerCpuShare: () => loop.cpuShare(),
  };
  const shedder = new LoadShedder({
    freeswitchSessionsShare: settings.shedFreeswitchSessionsPercent / 100,
    callsPerSecond: settings.shedCallsPerSecond,
    eventLoopDelayMs: settings.shedEventLoopDelayMs,
  }, sources, clock, log);
  return {
    shedder,
    health: { name: 'capacity', check: () => shedder.health() },
    attach(inbound, prometheus) {
      const several = (inbound?.links.length ?? 0) > 1;
      for (const { name, client } of inbound?.links ?? []) {
        const node = several ? { node: name } : {};
        const poller = new FreeswitchLoadPoller(client);
        poller.start();
        pollers = [...pollers, poller];
        loads.add(name, poller);
        const sweep = new StrandedCallerSweep(client, {
          extension: FALLBACK_EXTENSION, context: DIALPLAN_DEFAULTS.context,
          onRescued: (fsUuid) => log.warn({ fsUuid, ...node }, 'caller left ringing in the socket application with no router: handed to the dialplan fallback'),
          onError: (err) => log.debug({ err, ...node }, 'stranded caller sweep failed'),
        });
        sweep.start();
        sweeps = [...sweeps, sweep];
      }
      if (inbound !== undefined) loads.locateBy((origin) => inbound.holding(origin));
      registerCapacityMetrics(prometheus, shedder, sources);
      const swept = sweeps;
      new Counter({
        name: 'hotline_stranded_callers_rescued_total', registers: [prometheus],
        help: 'Callers FreeSWITCH left ringing in the socket application with no router (its handshake timed out under load), handed to the dialplan fallback',
        collect() { this.reset(); this.inc(swept.reduce((n, s) => n + s.rescued, 0)); },
      });
    },
    start() {
      loop.start();
    },
    close() {
      for (const p of pollers) p.stop();
      for (const s of sweeps) s.stop();
      loop.stop();
    },
  };
}
