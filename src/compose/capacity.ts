/**
 * The node's load shedding: FreeSWITCH's load over the inbound ESL (once it exists), the event
 * loop's delay, the marks from the settings; /health and /metrics say what it does.
 */
import type { Registry as PromRegistry } from 'prom-client';
import type { InboundEslClient } from '../adapters/esl/index.js';
import { FreeswitchLoadPoller } from '../adapters/esl/freeswitch-load.js';
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
  attach(inbound: InboundEslClient | undefined, prometheus: PromRegistry): void;
  /** Once the router is built: the event loop is measured from here, so the start's own stall sheds nothing. */
  start(): void;
  close(): void;
}

export function wireCapacity(settings: Settings, clock: Clock, logger: Logger): Capacity {
  const loop = new EventLoopDelayMonitor();
  let poller: FreeswitchLoadPoller | undefined;
  const sources: CapacitySources = {
    freeswitch: () => poller?.current(),
    eventLoopDelayMs: () => loop.current(),
  };
  const shedder = new LoadShedder({
    freeswitchSessionsShare: settings.shedFreeswitchSessionsPercent / 100,
    callsPerSecond: settings.shedCallsPerSecond,
    eventLoopDelayMs: settings.shedEventLoopDelayMs,
  }, sources, clock, logger.child({ component: 'capacity' }));
  return {
    shedder,
    health: { name: 'capacity', check: () => shedder.health() },
    attach(inbound, prometheus) {
      if (inbound !== undefined) {
        poller = new FreeswitchLoadPoller(inbound);
        poller.start();
      }
      registerCapacityMetrics(prometheus, shedder, sources);
    },
    start() {
      loop.start();
    },
    close() {
      poller?.stop();
      loop.stop();
    },
  };
}
