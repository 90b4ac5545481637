/**
 * The router's inbound event-socket links, one per FreeSWITCH node, on /health and /metrics.
 * One node (no `nodes:` in the registry): the `freeswitch` component, as it always was. Several:
 * `freeswitch` sums them up — down only when no node is linked, degraded while one is not — and
 * each node has its own `freeswitch:<name>` component; a node down leaves the others' calls alone.
 */
import { Counter, Gauge, type Registry as PromRegistry } from 'prom-client';
import type { EslState } from '../adapters/esl/index.js';
import type { EslNodeLinks } from '../adapters/esl/node-links.js';
import type { ComponentState, HealthComponent } from '../adapters/http/app.js';

const singleHealth: Record<EslState, ComponentState> = {
  connecting: 'degraded', connected: 'ok', reconnecting: 'degraded', failed: 'down', closed: 'down',
};

export function linksHealth(links: EslNodeLinks | undefined): HealthComponent[] {
  if (links === undefined) return [{ name: 'freeswitch', check: () => ({ state: 'disabled', detail: 'no ESL_PASSWORD: inbound ESL not configured' }) }];
  const where = (t: { host: string; port: number }): string => `${t.host}:${t.port}`;
  if (links.links.length === 1) {
    return [{
      name: 'freeswitch',
      check: () => {
        const [s] = links.states();
        return s === undefined ? { state: 'down' } : { state: singleHealth[s.state], detail: `${where(s.target)} ${s.state}` };
      },
    }];
  }
  const summary: HealthComponent = {
    name: 'freeswitch',
    check: () => {
      const states = links.states();
      const up = states.filter((s) => s.state === 'connected');
      const detail = `${up.length}/${states.length} nodes linked${up.length === states.length ? '' : `; not: ${states.filter((s) => s.state !== 'connected').map((s) => `${s.name} ${s.state}`).join(', ')}`}`;
      return { state: up.length === states.length ? 'ok' : up.length === 0 ? 'down' : 'degraded', detail };
    },
  };
  // A node alone down is degraded: the router still carries every other node's calls.
  const perNode = links.links.map((l): HealthComponent => ({
    name: `freeswitch:${l.name}`,
    check: () => ({ state: l.client.state === 'connected' ? 'ok' : 'degraded', detail: `${where(l.target)} ${l.client.state}` }),
  }));
  return [summary, ...perNode];
}

export function registerLinkMetrics(prometheus: PromRegistry, links: EslNodeLinks): void {
  new Gauge({
    name: 'hotline_freeswitch_link_up', help: 'Whether the inbound event socket to each FreeSWITCH node is connected (1) or not (0)', labelNames: ['node'], registers: [prometheus],
    collect() {
      for (const s of links.states()) this.set({ node: s.name }, s.state === 'connected' ? 1 : 0);
    },
  });
  const retries = new Counter({
    name: 'hotline_freeswitch_link_retries_total', help: 'Connection attempts to a FreeSWITCH node\'s inbound event socket that failed or were lost, each followed by a retry after a backoff', labelNames: ['node'], registers: [prometheus],
  });
  for (const l of links.links) {
    retries.inc({ node: l.name }, 0);
    l.client.on('retry', () => { retries.inc({ node: l.name }); });
  }
}

/**
 * An api command for every node (reloadxml after a registry reload): one node's reply as ever;
 * several: each node's, and a failure naming the nodes that did not take it (the others did).
 */
export function everyNode(links: EslNodeLinks): { api(command: string): Promise<string> } {
  const [only] = links.links;
  if (links.links.length === 1 && only !== undefined) return only.client;
  return {
    async api(command) {
      const results = await Promise.allSettled(links.links.map((l) => l.client.api(command)));
      const failed = links.links.filter((_, i) => results[i]?.status === 'rejected').map((l) => l.name);
      if (failed.length > 0) {
        const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        throw new Error(`${command}: not taken by ${failed.join(', ')}`, { cause: first?.reason });
      }
      return links.links.map((l, i) => `${l.name}: ${(results[i] as PromiseFulfilledResult<string>).value.trim()}`).join('; ');
    },
  };
}
