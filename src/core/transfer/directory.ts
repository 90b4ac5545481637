/**
 * Transfer targets from the registry: every sub-center line (its `subcenter.dial`, opening hours
 * and ring time) and `transferTargets` (emergency lines, neighbouring regions' 12345). Looked up
 * by target id or by number, so an agent may type either (HTTP or the DTMF feature code).
 */
import type { Registry } from '../../config/schema.js';
import { compileSchedule, openAt, type CompiledSchedule } from '../schedule/index.js';
import type { Refusal, TransferTarget } from './types.js';

export interface TargetView {
  readonly id: string;
  readonly kind: TransferTarget['kind'];
  readonly name: string;
  readonly number: string;
  readonly open: boolean;
  readonly why: string;
}

export interface TransferDirectory {
  readonly targets: readonly TransferTarget[];
  resolve(spec: string): TransferTarget | Refusal;
  list(at: number): TargetView[];
}

export interface DirectoryOptions {
  /** Ring time for emergency and regional targets (sub-centers use their noAnswerSeconds). */
  readonly ringSeconds?: number;
}

export function buildTransferDirectory(registry: Registry, options: DirectoryOptions = {}): TransferDirectory {
  const ring = options.ringSeconds ?? 30;
  const compiled = new Map<string, CompiledSchedule>();
  const scheduleOf = (id: string): CompiledSchedule => {
    let s = compiled.get(id);
    if (s === undefined) {
      const def = registry.schedules[id];
      if (def === undefined) throw new Error(`transfer target: unknown schedule "${id}"`);
      s = compileSchedule(def, registry.calendars, registry.hotline.timeZone, id);
      compiled.set(id, s);
    }
    return s;
  };
  const targets: TransferTarget[] = [];
  for (const line of registry.lines) {
    if (line.mode !== 'subcenter') continue;
    const sc = line.subcenter;
    targets.push({
      id: line.number, kind: 'subcenter', name: line.name, number: line.number, dial: sc.dial,
      ringSeconds: sc.noAnswerSeconds, schedule: scheduleOf(sc.schedule), scheduleId: sc.schedule,
    });
  }
  for (const t of registry.transferTargets) {
    targets.push({ id: t.id, kind: t.kind, name: t.name, number: t.number, dial: t.dial, ringSeconds: ring });
  }
  const byKey = new Map<string, TransferTarget>();
  // Ids first, then numbers: an id never shadows a number of another target by accident.
  for (const t of targets) byKey.set(t.id, t);
  for (const t of targets) if (!byKey.has(t.number)) byKey.set(t.number, t);

  return {
    targets,
    resolve(spec) {
      const t = byKey.get(spec.trim());
      return t ?? { code: 'HOTLINE_ERR_UNKNOWN_TARGET', reason: `no transfer target "${spec}" (a transferTargets id or a sub-center line number)` };
    },
    list(at) {
      return targets.map((t) => {
        const s = t.schedule === undefined ? { open: true, why: t.kind === 'emergency' ? 'emergency line, always open' : 'always open' } : openAt(t.schedule, at);
        return { id: t.id, kind: t.kind, name: t.name, number: t.number, open: s.open, why: s.why };
      });
    },
  };
}

export function isRefusal(x: TransferTarget | Refusal): x is Refusal {
  return 'code' in x;
}
