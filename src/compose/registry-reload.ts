/**
 * Registry hot reload, wired: the swappable current registry (routing table, call policy and
 * prompts derived per version), the reload use case with its steps (ACD, dialplan file,
 * FreeSWITCH `reloadxml`), its metrics, audit, health, API, and the cluster announcement.
 *
 * The dialplan is written only when DIALPLAN_DIR is set (the directory FreeSWITCH includes, e.g.
 * conf/dialplan/): hotline.xml, atomically, at start and after each applied reload, with the
 * socket DIALPLAN_ROUTER (HOST:PORT, default as `hotline dialplan`) and DIALPLAN_PROMPTS_DIR.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge, type Registry as PromRegistry } from 'prom-client';
import type { HealthComponent } from '../adapters/http/app.js';
import { registryRoutes } from '../adapters/http/routes/registry.js';
import type { AcdService } from '../app/acd/acd-service.js';
import { FilePromptCatalog, callPolicy, type PromptCatalog } from '../app/call/index.js';
import type { CallPolicy } from '../core/call/types.js';
import type { AuditInput } from '../app/records/activity-writers.js';
import { CurrentRegistry } from '../app/registry/current-registry.js';
import { RegistryReload, type ReloadActor, type ReloadMetrics, type ReloadResult } from '../app/registry/registry-reload.js';
import { loadRegistryFile } from '../config/load.js';
import { yamlLimitsOf } from '../config/yaml-bounds.js';
import type { Registry } from '../config/schema.js';
import type { Clock } from '../core/ports.js';
import { buildRoutingTable, type RoutingTable } from '../core/routing/index.js';
import { generateDialplan, type DialplanOptions } from '../dialplan/index.js';
import type { Logger } from '../lib/logger.js';
import type { Settings } from '../settings/settings.js';

/** What a call reads from the registry when it starts. */
export interface CallView {
  readonly table: RoutingTable;
  readonly policy: CallPolicy;
  readonly prompts: PromptCatalog;
}

export interface DialplanOutput {
  readonly dir: string;
  readonly options: DialplanOptions;
}

type Env = Readonly<Record<string, string | undefined>>;

/** DIALPLAN_DIR / DIALPLAN_ROUTER / DIALPLAN_PROMPTS_DIR; undefined when serve writes no dialplan. */
export function dialplanOutput(env: Env): DialplanOutput | undefined {
  const dir = env.DIALPLAN_DIR;
  if (dir === undefined || dir === '') return undefined;
  const router = /^(.+):([0-9]{1,5})$/.exec(env.DIALPLAN_ROUTER ?? '');
  return {
    dir,
    options: {
      ...(router?.[1] === undefined ? {} : { routerHost: router[1], routerPort: Number(router[2]) }),
      ...(env.DIALPLAN_PROMPTS_DIR === undefined || env.DIALPLAN_PROMPTS_DIR === '' ? {} : { promptsDir: env.DIALPLAN_PROMPTS_DIR }),
    },
  };
}

/** Written beside, then renamed over: FreeSWITCH never reads half a file. */
export async function writeDialplan(out: DialplanOutput, registry: Registry): Promise<string> {
  await mkdir(out.dir, { recursive: true });
  const names: string[] = [];
  for (const f of generateDialplan(registry, out.options).files) {
    const path = join(out.dir, f.name);
    await writeFile(`${path}.tmp`, f.xml, 'utf8');
    await rename(`${path}.tmp`, path);
    names.push(path);
  }
  return names.join(', ');
}

export interface RegistryWiringDeps {
  readonly settings: Settings;
  readonly registry: Registry;
  /** sha256 of the file `registry` came from; absent: a hash of its content */
  readonly sha256?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: Env;
}

export function currentRegistry(deps: RegistryWiringDeps): CurrentRegistry<CallView> {
  const sha256 = deps.sha256 ?? createHash('sha256').update(JSON.stringify(deps.registry)).digest('hex');
  return new CurrentRegistry<CallView>({ registry: deps.registry, sha256, appliedAt: deps.clock.now() }, (r) => ({
    table: buildRoutingTable(r), policy: callPolicy(r), prompts: new FilePromptCatalog(r.prompts, deps.settings.promptsDir),
  }));
}

/** The prompts of the version current when each call asks (a call's announcements follow a reload of the files). */
export function currentPrompts(holder: CurrentRegistry<CallView>): PromptCatalog {
  return {
    file: (id) => holder.derived.prompts.file(id),
    announcement: (position, minutes) => holder.derived.prompts.announcement(position, minutes),
    hold: () => holder.derived.prompts.hold(),
  };
}

export interface ReloadWiringDeps extends RegistryWiringDeps {
  readonly holder: CurrentRegistry<CallView>;
  readonly acd: AcdService;
  readonly inbound: { api(command: string): Promise<string> } | undefined;
  readonly prometheus: PromRegistry;
  audit(entry: AuditInput): void;
}

export interface RegistryWiring {
  reload(by: ReloadActor): Promise<ReloadResult>;
  readonly health: HealthComponent;
  readonly plugin: ReturnType<typeof registryRoutes>;
  /** writes the dialplan for the registry running now (start), when DIALPLAN_DIR is set */
  writeInitialDialplan(): Promise<void>;
}

function reloadMetrics(registers: PromRegistry[], inSync: () => boolean): ReloadMetrics {
  const reloads = new Counter({ name: 'hotline_registry_reloads_total', help: 'Registry reloads on this node by outcome (applied, unchanged, invalid)', labelNames: ['outcome'], registers });
  const failures = new Counter({ name: 'hotline_registry_reload_step_failures_total', help: 'Steps after an applied reload that failed (acd, dialplan, reloadxml); the registry stayed applied', labelNames: ['step'], registers });
  const info = new Gauge({ name: 'hotline_registry_info', help: 'The registry version this node runs: 1 on its file\'s sha256', labelNames: ['sha256'], registers });
  const applied = new Gauge({ name: 'hotline_registry_applied_timestamp_seconds', help: 'When this node applied the registry it runs', registers });
  new Gauge({
    name: 'hotline_registry_in_sync', help: '1 when this node runs the version the cluster last announced (always 1 on one node)', registers,
    collect() { this.set(inSync() ? 1 : 0); },
  });
  for (const o of ['applied', 'unchanged', 'invalid']) reloads.inc({ outcome: o }, 0);
  return {
    counted: (outcome) => { reloads.inc({ outcome }); },
    stepFailed: (step) => { failures.inc({ step }); },
    version: (sha256, at) => { info.reset(); info.set({ sha256 }, 1); applied.set(at / 1000); },
  };
}

export function wireRegistryReload(deps: ReloadWiringDeps): RegistryWiring {
  const log = deps.logger.child({ component: 'registry' });
  const out = dialplanOutput(deps.env);
  const appliers: { step: string; apply(next: Registry): Promise<string | undefined> }[] = [
    { step: 'acd', apply: async (next) => { await deps.acd.applyRegistry(next); return undefined; } },
  ];
  if (out !== undefined) appliers.push({ step: 'dialplan', apply: (next) => writeDialplan(out, next) });
  const inbound = deps.inbound;
  if (inbound !== undefined) appliers.push({ step: 'reloadxml', apply: async () => (await inbound.api('reloadxml')).trim() });
  // The gauge reads the reload's view when scraped (bound once the reload exists).
  let inSync: () => boolean = () => true;
  const reload = new RegistryReload({
    holder: deps.holder, load: () => loadRegistryFile(deps.settings.registryPath, yamlLimitsOf(deps.settings)), appliers,
    audit: (e) => { deps.audit(e); }, metrics: reloadMetrics([deps.prometheus], () => inSync()), announce: (sha) => { deps.acd.announceRegistry(sha); },
    clock: deps.clock, log,
  });
  inSync = () => reload.cluster().inSync;
  deps.acd.onRegistryAnnounced((sha, from) => { reload.announced(sha, from); });
  return {
    reload: (by) => reload.reload(by),
    health: {
      name: 'registry',
      check: () => {
        const v = deps.holder.current;
        const c = reload.cluster();
        const own = `${v.registry.hotline.number} ${v.registry.hotline.region} ${v.sha256.slice(0, 12)}`;
        return c.inSync ? { state: 'ok', detail: own }
          : { state: 'degraded', detail: `${own}; node ${c.announced?.from ?? '?'} runs ${c.announced?.sha256.slice(0, 12) ?? '?'}` };
      },
    },
    plugin: registryRoutes({
      reload: (by) => reload.reload(by), current: () => deps.holder.current, cluster: () => reload.cluster(),
      retiringAgents: () => deps.acd.retiringAgents,
    }),
    async writeInitialDialplan() {
      if (out === undefined) return;
      try {
        log.info({ files: await writeDialplan(out, deps.holder.registry) }, 'dialplan written');
      } catch (err) {
        log.error({ err, dir: out.dir }, 'dialplan not written');
      }
    },
  };
}
