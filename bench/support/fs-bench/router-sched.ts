/**
 * The router's CPU scheduling in the bench: by default the one deploy/systemd/hotline-router.service
 * gives it (SCHED_RR, priority 10), so the bench measures the router as it is deployed.
 *
 * Why it matters (docs/freeswitch-bench.md, "Sustained load"): on a box FreeSWITCH saturates, a
 * router at the default policy gets ~20 % of a core, falls behind reading its sockets, and every
 * caller whose `connect` is late spins in FreeSWITCH's socket application (a 1 ms wait loop), which
 * starves the router further. `FS_BENCH_ROUTER_SCHED=other` leaves the router at the default policy
 * to show that.
 */
import { spawnSync } from 'node:child_process';

export type RouterSched = { readonly policy: 'other' } | { readonly policy: 'rr'; readonly priority: number };

export const DEPLOYED_ROUTER_SCHED: RouterSched = { policy: 'rr', priority: 10 };

export function parseRouterSched(spec: string | undefined): RouterSched {
  if (spec === undefined || spec === '') return DEPLOYED_ROUTER_SCHED;
  if (spec === 'other') return { policy: 'other' };
  const m = /^rr:(\d{1,2})$/.exec(spec);
  const priority = Number(m?.[1]);
  if (m === null || priority < 1 || priority > 99) throw new Error(`FS_BENCH_ROUTER_SCHED="${spec}": expected other or rr:<1-99>, e.g. rr:10`);
  return { policy: 'rr', priority };
}

export function describeSched(s: RouterSched): string {
  return s.policy === 'other' ? 'SCHED_OTHER (the default policy)' : `SCHED_RR priority ${s.priority}`;
}

/** Sets every thread of `pid` (`chrt -a`); threads it starts later inherit it. Returns why not, if not. */
export function applyRouterSched(pid: number, s: RouterSched): string | undefined {
  if (s.policy === 'other') return undefined;
  const r = spawnSync('chrt', ['-a', '-r', '-p', String(s.priority), String(pid)], { encoding: 'utf8' });
  if (r.error !== undefined) return `chrt: ${r.error.message}`;
  return r.status === 0 ? undefined : `chrt exited ${String(r.status)}: ${r.stderr.trim()}`;
}
