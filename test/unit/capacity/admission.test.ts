import { describe, expect, it } from 'vitest';
import { ROUTER_BUSY_CPU_SHARE, admit, callsPerSecondMark, type CapacityMarks, type CapacityState } from '../../../src/core/capacity/index.js';

const marks: CapacityMarks = { freeswitchSessionsShare: 0.9, callsPerSecond: 'auto', eventLoopDelayMs: 500 };
const fs = (sessions: number, maxSessions = 1000, sps = 30) => ({ sessions, maxSessions, sessionsPerSecondMax: sps });
const state = (over: Partial<CapacityState> = {}): CapacityState => ({ freeswitch: fs(10), acceptedLastSecond: 0, eventLoopDelayMs: 3, routerCpuShare: 1, ...over });

describe('admit: a new call past a capacity mark is shed', () => {
  it.each<[string, Partial<CapacityState>, Partial<CapacityMarks>, string | null]>([
    ['all below the marks', {}, {}, null],
    ['FreeSWITCH sessions one below 90 %', { freeswitch: fs(899) }, {}, null],
    ['FreeSWITCH sessions at 90 %', { freeswitch: fs(900) }, {}, 'freeswitch-sessions'],
    ['FreeSWITCH sessions over the limit', { freeswitch: fs(1200) }, {}, 'freeswitch-sessions'],
    ['sessions mark off', { freeswitch: fs(1000) }, { freeswitchSessionsShare: 0 }, null],
    ['FreeSWITCH load unknown: no sessions mark, no auto calls/s mark', { freeswitch: undefined, acceptedLastSecond: 500 }, {}, null],
    ['auto calls/s: 14 accepted with sps 30 (mark 15)', { acceptedLastSecond: 14 }, {}, null],
    ['auto calls/s: 15 accepted with sps 30', { acceptedLastSecond: 15 }, {}, 'calls-per-second'],
    ['auto calls/s with sps 200: 99 accepted', { freeswitch: fs(10, 1000, 200), acceptedLastSecond: 99 }, {}, null],
    ['a fixed calls/s mark wins over auto', { acceptedLastSecond: 20 }, { callsPerSecond: 40 }, null],
    ['a fixed calls/s mark applies without FreeSWITCH load', { freeswitch: undefined, acceptedLastSecond: 40 }, { callsPerSecond: 40 }, 'calls-per-second'],
    ['calls/s mark off', { acceptedLastSecond: 1000 }, { callsPerSecond: 0 }, null],
    ['event loop just below', { eventLoopDelayMs: 499 }, {}, null],
    ['event loop at the mark', { eventLoopDelayMs: 500 }, {}, 'event-loop-delay'],
    ['event loop at the mark, router CPU idle: a stalled host, not load', { eventLoopDelayMs: 900, routerCpuShare: 0.1 }, {}, null],
    ['event loop at the mark, router CPU just under busy', { eventLoopDelayMs: 900, routerCpuShare: ROUTER_BUSY_CPU_SHARE - 0.01 }, {}, null],
    ['event loop at the mark, router CPU busy', { eventLoopDelayMs: 900, routerCpuShare: ROUTER_BUSY_CPU_SHARE }, {}, 'event-loop-delay'],
    ['event loop mark off', { eventLoopDelayMs: 5000 }, { eventLoopDelayMs: 0 }, null],
    ['several marks: sessions first', { freeswitch: fs(950), acceptedLastSecond: 100, eventLoopDelayMs: 900 }, {}, 'freeswitch-sessions'],
    ['calls/s before loop delay', { acceptedLastSecond: 100, eventLoopDelayMs: 900 }, {}, 'calls-per-second'],
  ])('%s', (_what, s, m, reason) => {
    const a = admit(state(s), { ...marks, ...m });
    if (reason === null) expect(a).toEqual({ accept: true });
    else expect(a).toMatchObject({ accept: false, reason });
  });

  it('says what it saw in the detail', () => {
    expect(admit(state({ freeswitch: fs(950) }), marks)).toEqual({
      accept: false, reason: 'freeswitch-sessions', detail: '950 FreeSWITCH sessions, mark 900 of 1000',
    });
  });

  it('auto calls/s is half of sessions-per-second: two sessions per call', () => {
    expect(callsPerSecondMark(marks, fs(0, 1000, 30))).toBe(15);
    expect(callsPerSecondMark(marks, fs(0, 1000, 31))).toBe(15);
    expect(callsPerSecondMark(marks, undefined)).toBe(0);
    expect(callsPerSecondMark({ ...marks, callsPerSecond: 7 }, undefined)).toBe(7);
  });
});
