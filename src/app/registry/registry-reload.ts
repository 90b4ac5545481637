/**
 * Registry hot reload: read the file again, check it exactly as `hotline check` does, and
 * either refuse it (nothing changes; the problems with their line:col go back to whoever
 * asked) or put it in place for every new call, the ACD, the dialplan and FreeSWITCH.
 * One reload at a time; each one is audited and counted.
 *
 * Several nodes: a node that applied a new version announces its hash; a node on another
 * hash re-reads its own file. If its file is still different it keeps what it runs (the file
 * on each host is the truth for that host and its FreeSWITCH's dialplan) and says so in /health
 * and the metrics until a reload brings it level.
 */
import { changeCounts, diffRegistries, type RegistryChanges } from '../../core/registry/diff.js';
import type { FileLoadResult } from '../../config/load.js';
import type { Problem } from '../../config/problem.js';
import type { Registry } from '../../config/schema.js';
import type { Clock } from '../../core/ports.js';
import type { AuditInput } from '../records/activity-writers.js';
import type { CurrentRegistry } from './current-registry.js';

export type ReloadOutcome = 'applied' | 'unchanged' | 'invalid';

/** A step after the registry is in place; a failed one is logged and reported, never undoes the reload. */
export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ReloadResult {
  readonly outcome: ReloadOutcome;
  /** the file's hash (absent when it could not be read) */
  readonly sha256?: string;
  /** the hash running before this reload (still running unless applied) */
  readonly previousSha256: string;
  readonly changes?: RegistryChanges;
  readonly problems?: readonly Problem[];
  readonly warnings?: readonly Problem[];
  readonly steps?: readonly StepResult[];
}

export interface ReloadActor {
  /** token name, "SIGHUP", or "cluster:<node>" */
  readonly actor: string;
  readonly role: string;
}

export interface ReloadMetrics {
  counted(outcome: ReloadOutcome): void;
  stepFailed(step: string): void;
  version(sha256: string, appliedAt: number): void;
}

export interface ReloadLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RegistryReloadDeps {
  readonly holder: CurrentRegistry<unknown>;
  load(): Promise<FileLoadResult>;
  /** The parts that keep registry state of their own (the ACD): brought to `next`. */
  readonly appliers: readonly { readonly step: string; apply(next: Registry, previous: Registry): Promise<string | undefined> }[];
  audit(entry: AuditInput): void;
  readonly metrics: ReloadMetrics;
  /** several nodes: tell the others (no-op on one node) */
  announce(sha256: string): void;
  readonly clock: Clock;
  readonly log: ReloadLog;
}

export interface ClusterView {
  /** the last hash another node announced, when it differs from this node's */
  readonly announced?: { readonly sha256: string; readonly from: string };
  readonly inSync: boolean;
}

export class RegistryReload {
  private chain: Promise<unknown> = Promise.resolve();
  private latest: { sha256: string; from: string } | undefined;

  constructor(private readonly d: RegistryReloadDeps) {
    d.metrics.version(d.holder.current.sha256, d.holder.current.appliedAt);
  }

  /** Queued behind a reload in progress, so two never interleave. */
  reload(by: ReloadActor): Promise<ReloadResult> {
    const run = this.chain.then(() => this.run(by));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Another node now runs `sha256`: re-read this node's file unless it is on that version already. */
  announced(sha256: string, from: string): void {
    this.latest = { sha256, from };
    if (sha256 === this.d.holder.current.sha256) return;
    void this.reload({ actor: `cluster:${from}`, role: 'cluster' }).then(() => {
      if (!this.cluster().inSync) this.d.log.warn({ own: this.d.holder.current.sha256, announced: sha256, from }, 'registry file differs from the version another node runs; keeping this node\'s');
    }, (err: unknown) => { this.d.log.error({ err }, 'registry reload after an announcement failed'); });
  }

  cluster(): ClusterView {
    const own = this.d.holder.current.sha256;
    if (this.latest === undefined || this.latest.sha256 === own) return { inSync: true };
    return { inSync: false, announced: this.latest };
  }

  private async run(by: ReloadActor): Promise<ReloadResult> {
    const previous = this.d.holder.current;
    const loaded = await this.d.load();
    const base = { previousSha256: previous.sha256, ...(loaded.sha256 === undefined ? {} : { sha256: loaded.sha256 }) };
    if (!loaded.ok) {
      const errors = loaded.problems.filter((p) => p.severity === 'error');
      const first = errors[0];
      this.d.log.error({
        actor: by.actor, sha256: loaded.sha256 ?? null, errors: errors.length,
        first: first === undefined ? null : `${first.line}:${first.col} ${first.path} ${first.message}`,
      }, 'registry reload refused: the file is invalid; the running registry is kept');
      this.d.metrics.counted('invalid');
      this.audit(by, 'HOTLINE_ERR_REGISTRY_INVALID', { ...base, errors: errors.length });
      return { outcome: 'invalid', ...base, problems: loaded.problems };
    }
    if (loaded.sha256 === previous.sha256) {
      this.d.metrics.counted('unchanged');
      this.audit(by, 'unchanged', base);
      return { outcome: 'unchanged', ...base, warnings: loaded.warnings };
    }
    const sha256 = loaded.sha256 ?? previous.sha256;
    const changes = diffRegistries(previous.registry, loaded.registry);
    this.d.holder.replace({ registry: loaded.registry, sha256, appliedAt: this.d.clock.now() });
    const steps: StepResult[] = [];
    for (const a of this.d.appliers) steps.push(await this.step(a.step, () => a.apply(loaded.registry, previous.registry)));
    this.d.metrics.counted('applied');
    this.d.metrics.version(sha256, this.d.holder.current.appliedAt);
    this.latest = { sha256, from: 'self' };
    this.d.announce(sha256);
    this.d.log.info({ actor: by.actor, sha256, previous: previous.sha256, changes: changeCounts(changes), needsRestart: changes.needsRestart, failedSteps: steps.filter((s) => !s.ok).map((s) => s.step) }, 'registry reloaded');
    if (changes.needsRestart.length > 0) this.d.log.warn({ sections: changes.needsRestart }, 'registry reload: these sections take effect at the next restart');
    this.audit(by, 'applied', { ...base, sha256, changes, steps });
    return { outcome: 'applied', ...base, sha256, changes, warnings: loaded.warnings, steps };
  }

  private async step(step: string, fn: () => Promise<string | undefined>): Promise<StepResult> {
    try {
      const detail = await fn();
      return { step, ok: true, ...(detail === undefined ? {} : { detail }) };
    } catch (err) {
      this.d.metrics.stepFailed(step);
      this.d.log.error({ err, step }, 'registry reload: a step failed; the new registry stays in place');
      return { step, ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  private audit(by: ReloadActor, result: string, detail: Record<string, unknown>): void {
    try {
      this.d.audit({ actor: by.actor, role: by.role, action: 'registry reload', target: null, result, detail });
    } catch (err) {
      this.d.log.error({ err }, 'registry reload: audit sink failed');
    }
  }
}
