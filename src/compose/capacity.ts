/**
 * The node's load shedding: FreeSWITCH's load over the inbound ESL (once it exists), the event
 * loop's delay, the marks from the settings; /health and /metrics say what it does. Over the same
 * connection, callers FreeSWITCH stranded in a dead `socket` go to the dialplan fallback.
 */
import { Counter, type Registry as PromRegistry } from 'prom-client';
import type { InboundEslClient } from '../adapters/esl/index.js';
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
  attach(inbound: InboundEslClient | undefined, prometheus: PromRegistry): void;
  /** Once the router is built: the event loop is measured from here, so the start's own stall sheds nothing. */
  start(): void;
  close(): void;
}

export function wireCapacity(settings: Settings, clock: Clock, logger: Logger): Capacity {
  const loop = new EventLoopDelayMonitor();
  let poller: FreeswitchLoadPoller | undefined;
  let sweep: StrandedCallerSweep | undefined;
  const log = logger.child({ component: 'capacity' });
  const sources: CapacitySources = {
    freeswitch: () => poller?.current(),
    eventLoopDelayMs: () => loop.current(),
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
      if (inbound !== undefined) {
        poller = new FreeswitchLoadPoller(inbound);
        poller.start();
        sweep = new StrandedCallerSweep(inbound, {
          extension: FALLBACK_EXTENSION, context: DIALPLAN_DEFAULTS.context,
          onRescued: (fsUuid) => log.warn({ fsUuid }, 'caller left ringing in the socket application with no router: handed to the dialplan fallback'),
          onError: (err) => log.debug({ err }, 'stranded caller sweep failed'),
        });
        sweep.start();
      }
      registerCapacityMetrics(prometheus, shedder, sources);
      const swept = sweep;
      new Counter({
        name: 'hotline_stranded_callers_rescued_total', registers: [prometheus],
        help: 'Callers FreeSWITCH left ringing in the socket application with no router (its handshake timed out under load), handed to the dialplan fallback',
        collect() { this.reset(); this.inc(swept?.rescued ?? 0); },
      });
    },
    start() {
      loop.start();
    },
    close() {
      poller?.stop();
      sweep?.stop();
      loop.stop();
    },
  };
}
