/**
 * What the composition opened, closed in reverse order. Used twice: a start that fails half-way
 * closes what it had opened so far (Redis connections, timers, the outbound ESL server…), and
 * stop() closes everything. Every step runs even when one before it throws (each failure is
 * logged with its error), and time is bounded: a step that hangs (a Redis that never answers
 * QUIT, a socket that never ends) is left behind after stepMs so the next steps still run, and
 * after deadlineMs the rest is given up on — the caller then exits the process anyway.
 */
import type { Logger } from '../lib/logger.js';

export interface CloseStep {
  readonly name: string;
  run(): void | Promise<void>;
}

export interface CloseBounds {
  /** the whole sequence */
  readonly deadlineMs: number;
  /** one step (default: the whole deadline) */
  readonly stepMs?: number;
}

export interface CloseResult {
  /** steps that threw or rejected */
  readonly failed: readonly string[];
  /** steps still running at their bound, or never started because the deadline had come */
  readonly unfinished: readonly string[];
}

const TIMED_OUT = Symbol('timed out');

function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
    timer.unref();
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

/** Runs steps in the given order, each in its own try/catch, within the bounds. */
export async function runCloseSteps(steps: readonly CloseStep[], log: Logger, bounds: CloseBounds): Promise<CloseResult> {
  const failed: string[] = [];
  const unfinished: string[] = [];
  const end = performance.now() + bounds.deadlineMs;
  // A step cut off by the overall deadline ends the sequence, whatever the clock reads next: a
  // timer may fire a fraction of a millisecond before the clock says the deadline has come.
  let expired = false;
  for (const step of steps) {
    const left = end - performance.now();
    if (expired || left <= 0) {
      unfinished.push(step.name);
      continue;
    }
    const bound = Math.min(left, bounds.stepMs ?? left);
    try {
      const outcome = await within(Promise.resolve().then(() => step.run()), bound);
      if (outcome === TIMED_OUT) {
        unfinished.push(step.name);
        expired = bound === left;
      }
    } catch (err) {
      failed.push(step.name);
      log.error({ err, step: step.name }, 'close step failed; going on with the next');
    }
  }
  if (unfinished.length > 0) log.error({ unfinished, ...bounds }, 'close steps not finished in time; left behind');
  return { failed, unfinished };
}

/** A stack of close steps, pushed as things are opened; close() runs them last-opened first, once. */
export class Closers {
  private readonly steps: CloseStep[] = [];
  private closing: Promise<CloseResult> | undefined;

  constructor(private readonly log: Logger, private readonly bounds: CloseBounds) {}

  /** Registers how to close what was just opened. */
  push(name: string, run: () => void | Promise<void>): void {
    this.steps.push({ name, run });
  }

  close(): Promise<CloseResult> {
    this.closing ??= runCloseSteps([...this.steps].reverse(), this.log, this.bounds);
    return this.closing;
  }
}
