/**
 * /metrics for the node's capacity: calls shed by reason (also counted as `released` in
 * hotline_calls_total, like every call handed back to the dialplan), and the figures the shedding
 * is decided on.
 */
import { Counter, Gauge, type Registry as PromRegistry } from 'prom-client';
import type { CapacitySources, LoadShedder } from '../../app/call/index.js';
import { SHED_REASONS } from '../../core/capacity/index.js';

export function registerCapacityMetrics(registry: PromRegistry, shedder: LoadShedder, sources: CapacitySources): void {
  const registers = [registry];
  new Counter({
    name: 'hotline_calls_shed_total', help: 'New calls handed to the dialplan fallback unanswered because the node was over a capacity mark', labelNames: ['reason'], registers,
    collect() {
      this.reset();
      const shed = shedder.shed;
      for (const reason of SHED_REASONS) this.inc({ reason }, shed[reason]);
    },
  });
  new Gauge({
    name: 'hotline_freeswitch_sessions', help: 'FreeSWITCH sessions now and its max-sessions (absent while unknown)', labelNames: ['kind'], registers,
    collect() {
      this.reset();
      const fs = sources.freeswitch();
      if (fs === undefined) return;
      this.set({ kind: 'current' }, fs.sessions);
      this.set({ kind: 'max' }, fs.maxSessions);
    },
  });
  new Gauge({
    name: 'hotline_event_loop_delay_seconds', help: "The router's event loop delay, p99 over the last 1-2 seconds", registers,
    collect() { this.set(sources.eventLoopDelayMs() / 1000); },
  });
}
