import { initialCallState, step, type CallCommand, type CallEvent, type CallState } from '../../../src/core/call/index.js';
import type { QueueDecision, RejectDecision, SubcenterDecision } from '../../../src/core/routing/index.js';

export const T0 = Date.parse('2026-03-02T09:00:00+08:00');
export const sec = (n: number): number => T0 + n * 1000;

export function fresh(over: Partial<CallState['policy']> = {}): CallState {
  return initialCallState({
    callSid: 'call-1', fsUuid: 'fs-1', arrivedAt: T0,
    policy: { shortAbandonSeconds: 5, surveyTimeoutSeconds: 10, announceEverySeconds: { general: 30, pool: 60 }, ...over },
  });
}

export const hotlineDecision = (prompts: string[] = []): QueueDecision => ({
  kind: 'queue', line: { number: '12345', name: '12345热线', mode: 'hotline' }, queue: 'general', priority: 0, prompts, explanation: [],
});

export const mergedDecision: QueueDecision = {
  kind: 'queue', line: { number: '12319', name: '城建热线', mode: 'merged' }, queue: 'general', priority: 2,
  prompts: ['transition-12319'], explanation: [],
};

export const subcenterDecision: SubcenterDecision = {
  kind: 'subcenter', line: { number: '12366', name: '纳税服务热线', mode: 'subcenter' }, dial: 'sofia/gateway/tax/12366',
  noAnswerSeconds: 30, fallbackQueue: 'pool', priority: 1, prompts: [], explanation: [],
};

export const reject = (sipStatus: number): RejectDecision => ({ kind: 'reject', sipStatus, reason: 'test', explanation: [] });

export const agent = { id: 'a1', name: '王芳', dial: 'user/1001' };
export const assigned = (at: number): CallEvent => ({ kind: 'queue-notice', at, notice: { kind: 'assigned', queueId: 'general', agent, ringSeconds: 20 } });

/** Runs events from `s`, returning the final state and each step's commands. */
export function run(s: CallState, events: readonly CallEvent[]): { state: CallState; steps: (readonly CallCommand[])[] } {
  const steps: (readonly CallCommand[])[] = [];
  let state = s;
  for (const e of events) {
    const t = step(state, e);
    state = t.state;
    steps.push(t.commands);
  }
  return { state, steps };
}

export const kinds = (cmds: readonly CallCommand[]): string[] => cmds.map((c) => c.kind);

/** A hotline call answered, no prompt, enqueued in `general` at position 3 at T0+1 s. */
export function queuedCall(): CallState {
  return run(fresh(), [
    { kind: 'route-decided', at: T0, decision: hotlineDecision() },
    { kind: 'answered', at: sec(1) },
    { kind: 'enqueued', at: sec(1), queueId: 'general', position: 3, skipped: [] },
  ]).state;
}

export function bridgedCall(): CallState {
  return run(queuedCall(), [assigned(sec(40)), { kind: 'bridge-answered', at: sec(45) }]).state;
}
