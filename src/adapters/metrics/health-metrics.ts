/**
 * /health's components on /metrics, one-hot by state: an alert names the component that is down
 * (the inbound ESL to FreeSWITCH, Redis, the records database, the outbox) instead of a probe
 * having to parse /health. Read at scrape, so the figure is as fresh as /health itself.
 */
import { Gauge, type Registry as PromRegistry } from 'prom-client';

export const COMPONENT_STATES = ['ok', 'degraded', 'down', 'disabled'] as const;

export interface CheckedComponent {
  readonly name: string;
  check(): { readonly state: string };
}

export function registerHealthMetrics(registry: PromRegistry, components: readonly CheckedComponent[]): void {
  new Gauge({
    name: 'hotline_component_state', help: 'Each /health component\'s state now: 1 for its current state, 0 for the others', labelNames: ['component', 'state'], registers: [registry],
    collect() {
      this.reset();
      for (const c of components) {
        let now: string;
        try {
          now = c.check().state;
        } catch {
          now = 'down';
        }
        for (const s of COMPONENT_STATES) this.set({ component: c.name, state: s }, s === now ? 1 : 0);
      }
    },
  });
}
