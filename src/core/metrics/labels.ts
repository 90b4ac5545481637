/**
 * Prometheus label values come only from closed sets known in advance — the registry's lines,
 * queues and transfer targets, the agent states, outcomes, reasons and survey answers — never
 * from a call (caller numbers, call ids): one unexpected value per call would grow a series per
 * call. Anything outside the set becomes `other`; an absent value (a call never queued) `none`.
 */
import type { Registry } from '../../config/schema.js';
import { AGENT_STATUSES } from '../acd/types.js';

export const OTHER = 'other';
export const NONE = 'none';

export const OUTCOMES = ['answered', 'subcenter-answered', 'abandoned', 'short-abandoned', 'left-before-queue', 'rejected', 'released'] as const;
export const OVERFLOW_REASONS = ['max-wait', 'no-agents', 'closed', 'full'] as const;
export const SURVEY_RESULTS = ['satisfied', 'basically-satisfied', 'unsatisfied', 'none'] as const;
/** Transfer outcomes as the transfer service counts them (core/transfer LegOutcome + refusals). */
export const TRANSFER_OUTCOMES = [
  'completed', 'cancelled', 'no-answer', 'busy', 'unreachable', 'target-left', 'agent-left', 'caller-left',
  'refused-limit', 'refused-closed',
] as const;

export type LabelKind = 'line' | 'queue' | 'state' | 'outcome' | 'reason' | 'survey' | 'target' | 'transferOutcome';

export class LabelVocabulary {
  private readonly sets: Readonly<Record<LabelKind, ReadonlySet<string>>>;

  constructor(registry: Registry) {
    const lines = [registry.hotline.number, ...registry.lines.map((l) => l.number)];
    this.sets = {
      line: new Set(lines),
      queue: new Set(Object.keys(registry.queues)),
      state: new Set(AGENT_STATUSES),
      outcome: new Set(OUTCOMES),
      reason: new Set(OVERFLOW_REASONS),
      survey: new Set(SURVEY_RESULTS),
      // Sub-centers are transfer targets through their line number.
      target: new Set([...registry.transferTargets.map((t) => t.id),
        ...registry.lines.filter((l) => l.mode === 'subcenter').map((l) => l.number)]),
      transferOutcome: new Set(TRANSFER_OUTCOMES),
    };
  }

  label(kind: LabelKind, value: string | undefined): string {
    if (value === undefined) return NONE;
    return this.sets[kind].has(value) ? value : OTHER;
  }

  /** Every value a label may take (the `other`/`none` fallbacks included). */
  values(kind: LabelKind): string[] {
    return [...this.sets[kind], OTHER, NONE];
  }
}
