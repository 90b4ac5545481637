import { describe, expect, it } from 'vitest';
import {
  AgentTransitionError, isReservationExpired, isWrapUpDue, transition, transitionOrThrow, wrapUpEndsAt, type AgentEvent,
} from '../../../src/core/acd/agent-state.js';
import type { AgentState, AgentStatus } from '../../../src/core/acd/types.js';
import { agent } from './fixtures.js';

const NOW = 50_000;
const states: Record<AgentStatus, AgentState> = {
  'logged-out': { status: 'logged-out' },
  ready: { status: 'ready' },
  reserved: { status: 'reserved', callId: 'c1', queueId: 'q12345', reservedUntil: 60_000 },
  ringing: { status: 'ringing', callId: 'c1', queueId: 'q12345', reservedUntil: 60_000 },
  'on-call': { status: 'on-call', callId: 'c1', queueId: 'q12345' },
  'wrap-up': { status: 'wrap-up', callId: 'c1', queueId: 'q12345', until: NOW },
  'not-ready': { status: 'not-ready', reason: 'break' },
};
const events: Record<AgentEvent['type'], AgentEvent> = {
  login: { type: 'login' },
  logout: { type: 'logout' },
  ready: { type: 'ready' },
  'not-ready': { type: 'not-ready', reason: 'meeting' },
  reserve: { type: 'reserve', callId: 'c2', queueId: 'q12345', reservedUntil: 55_000 },
  release: { type: 'release', callId: 'c1' },
  ring: { type: 'ring', callId: 'c1', ringUntil: 70_000 },
  answer: { type: 'answer', callId: 'c1' },
  'no-answer': { type: 'no-answer', callId: 'c1' },
  hangup: { type: 'hangup', callId: 'c1', wrapUpSeconds: 15 },
  'wrap-up-done': { type: 'wrap-up-done' },
};

// Every legal (from, event) → to; everything not listed is illegal.
const legal: [AgentStatus, AgentEvent['type'], AgentState][] = [
  ['logged-out', 'login', { status: 'not-ready', reason: 'login' }],
  ['ready', 'logout', { status: 'logged-out' }],
  ['not-ready', 'logout', { status: 'logged-out' }],
  ['wrap-up', 'logout', { status: 'logged-out' }],
  ['not-ready', 'ready', { status: 'ready' }],
  ['wrap-up', 'ready', { status: 'ready' }],
  ['ready', 'not-ready', { status: 'not-ready', reason: 'meeting' }],
  ['not-ready', 'not-ready', { status: 'not-ready', reason: 'meeting' }],
  ['wrap-up', 'not-ready', { status: 'not-ready', reason: 'meeting' }],
  ['ready', 'reserve', { status: 'reserved', callId: 'c2', queueId: 'q12345', reservedUntil: 55_000 }],
  ['reserved', 'release', { status: 'ready' }],
  ['ringing', 'release', { status: 'ready' }],
  ['reserved', 'ring', { status: 'ringing', callId: 'c1', queueId: 'q12345', reservedUntil: 70_000 }],
  ['reserved', 'answer', { status: 'on-call', callId: 'c1', queueId: 'q12345' }],
  ['ringing', 'answer', { status: 'on-call', callId: 'c1', queueId: 'q12345' }],
  ['reserved', 'no-answer', { status: 'not-ready', reason: 'no-answer' }],
  ['ringing', 'no-answer', { status: 'not-ready', reason: 'no-answer' }],
  ['on-call', 'hangup', { status: 'wrap-up', callId: 'c1', queueId: 'q12345', until: 65_000 }],
  ['wrap-up', 'wrap-up-done', { status: 'ready' }],
];

describe('agent state machine', () => {
  it.each(legal)('%s --%s--> allowed', (from, ev, to) => {
    const before = agent('a1', { version: 7, idleSince: 10 }, states[from]);
    const r = transition(before, events[ev], NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.agent.state).toEqual(to);
    expect(r.agent.version).toBe(8);
    expect(r.agent.since).toBe(NOW);
  });

  const legalKeys = new Set(legal.map(([f, e]) => `${f}/${e}`));
  const illegal = (Object.keys(states) as AgentStatus[])
    .flatMap((f) => (Object.keys(events) as AgentEvent['type'][]).map((e) => [f, e] as const))
    .filter(([f, e]) => !legalKeys.has(`${f}/${e}`));

  it.each(illegal)('%s --%s--> rejected with a typed error', (from, ev) => {
    const r = transition(agent('a1', {}, states[from]), events[ev], NOW);
    expect(r).toEqual({ ok: false, error: { code: 'illegal-transition', from, event: ev } });
  });

  it('covers the whole table (19 legal, the rest illegal)', () => {
    expect(legal.length + illegal.length).toBe(7 * 11);
    expect(illegal.length).toBe(58);
  });

  it('rejects an event about another call', () => {
    const r = transition(agent('a1', {}, states.ringing), { type: 'answer', callId: 'other' }, NOW);
    expect(r).toEqual({ ok: false, error: { code: 'wrong-call', expected: 'c1', got: 'other' } });
  });

  it('transitionOrThrow throws AgentTransitionError', () => {
    expect(() => transitionOrThrow(agent('a1'), { type: 'ready' }, NOW)).toThrow(AgentTransitionError);
  });

  describe('idleSince (longest-idle key)', () => {
    const cases: [string, AgentStatus, AgentEvent, number | null][] = [
      ['becoming ready after a break starts the idle clock', 'not-ready', events.ready, NOW],
      ['ending wrap-up starts the idle clock', 'wrap-up', events.ready, NOW],
      ['a reservation keeps it', 'ready', events.reserve, 10],
      ['ringing keeps it', 'reserved', events.ring, 10],
      ['a released reservation keeps the old place', 'ringing', events.release, 10],
      ['answering clears it', 'ringing', events.answer, null],
      ['no-answer clears it', 'ringing', events['no-answer'], null],
      ['going not-ready clears it', 'ready', events['not-ready'], null],
      ['a hangup with 0 s wrap-up makes the agent ready at once', 'on-call', { type: 'hangup', callId: 'c1', wrapUpSeconds: 0 }, NOW],
    ];
    it.each(cases)('%s', (_name, from, ev, idle) => {
      const r = transition(agent('a1', { idleSince: 10 }, states[from]), ev, NOW);
      expect(r.ok && r.agent.idleSince).toBe(idle);
    });
  });

  describe('wrap-up timing', () => {
    it.each([[0, 1000], [15, 16_000], [3600, 3_601_000]])('wrapUpSeconds %i after hang-up at 1000 ends at %i', (s, end) => {
      expect(wrapUpEndsAt(1000, s)).toBe(end);
    });
    it('hangup puts the agent in wrap-up until now + wrapUpSeconds; due at that instant, not before', () => {
      const r = transitionOrThrow(agent('a1', {}, states['on-call']), { type: 'hangup', callId: 'c1', wrapUpSeconds: 30 }, NOW);
      expect(r.state).toEqual({ status: 'wrap-up', callId: 'c1', queueId: 'q12345', until: NOW + 30_000 });
      expect(isWrapUpDue(r, NOW + 29_999)).toBe(false);
      expect(isWrapUpDue(r, NOW + 30_000)).toBe(true);
    });
    it('the wrap-up timer makes the agent ready at `until`, not before, and never from a break', () => {
      const w = agent('a1', {}, { status: 'wrap-up', callId: 'c1', queueId: 'q12345', until: 80_000 });
      expect(transition(w, { type: 'wrap-up-done' }, 79_999)).toEqual({ ok: false, error: { code: 'too-early', until: 80_000, now: 79_999 } });
      expect(transitionOrThrow(w, { type: 'wrap-up-done' }, 80_000)).toMatchObject({ state: { status: 'ready' }, idleSince: 80_000 });
      const onBreak = transitionOrThrow(w, { type: 'not-ready', reason: 'break' }, 70_000);
      expect(transition(onBreak, { type: 'wrap-up-done' }, 80_000).ok).toBe(false);
    });
    it('hangup with 0 s wrap-up goes straight to ready', () => {
      const r = transitionOrThrow(agent('a1', {}, states['on-call']), { type: 'hangup', callId: 'c1', wrapUpSeconds: 0 }, NOW);
      expect(r.state).toEqual({ status: 'ready' });
    });
  });

  it('a reservation expires at reservedUntil; ringing renews it to the ring deadline', () => {
    const reserved = agent('a1', {}, states.reserved);
    expect(isReservationExpired(reserved, 59_999)).toBe(false);
    expect(isReservationExpired(reserved, 60_000)).toBe(true);
    const ringing = transitionOrThrow(reserved, events.ring, NOW);
    expect(isReservationExpired(ringing, 60_000)).toBe(false);
    expect(isReservationExpired(agent('a1'), 1e12)).toBe(false);
  });
});
