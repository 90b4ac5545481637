import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoadShedder } from '../../../src/app/call/index.js';
import type { FreeswitchLoad } from '../../../src/core/capacity/index.js';
import { createLogger } from '../../../src/lib/logger.js';

function setup(marks: Partial<ConstructorParameters<typeof LoadShedder>[0]> = {}) {
  let now = 1_000_000;
  let fs: FreeswitchLoad | undefined = { sessions: 10, maxSessions: 1000, sessionsPerSecondMax: 30 };
  let loop = 2;
  let cpu = 1;
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); cb(); } });
  const shedder = new LoadShedder(
    { freeswitchSessionsShare: 0.9, callsPerSecond: 'auto', eventLoopDelayMs: 500, ...marks },
    { freeswitch: () => fs, eventLoopDelayMs: () => loop, routerCpuShare: () => cpu },
    { now: () => now }, createLogger({ level: 'info', destination }), { logEveryMs: 10_000, degradedForMs: 10_000 },
  );
  return {
    shedder, lines,
    at: (ms: number) => { now += ms; },
    setFs: (f: FreeswitchLoad | undefined) => { fs = f; },
    setLoop: (ms: number) => { loop = ms; },
    setCpu: (share: number) => { cpu = share; },
  };
}

describe('LoadShedder', () => {
  it('accepts up to the calls/s mark within a second, sheds the rest, and takes calls again a second later', () => {
    const t = setup();
    const decisions = Array.from({ length: 20 }, () => t.shedder.decide().accept);
    expect(decisions.filter(Boolean)).toHaveLength(15);
    expect(decisions.slice(15).every((a) => !a)).toBe(true);
    expect(t.shedder.shed).toEqual({ 'freeswitch-sessions': 0, 'calls-per-second': 5, 'event-loop-delay': 0 });
    t.at(999);
    expect(t.shedder.decide().accept).toBe(false);
    t.at(1);
    expect(t.shedder.decide().accept).toBe(true);
  });

  it('counts the calls accepted since FreeSWITCH\'s last reading as sessions, until a new reading comes', () => {
    const t = setup({ callsPerSecond: 0 });
    t.setFs({ sessions: 895, maxSessions: 1000, sessionsPerSecondMax: 30 });
    const first = Array.from({ length: 8 }, () => t.shedder.decide().accept);
    expect(first).toEqual([true, true, true, true, true, false, false, false]);
    // A fresh reading (a new object) replaces the estimate.
    t.setFs({ sessions: 890, maxSessions: 1000, sessionsPerSecondMax: 30 });
    expect(Array.from({ length: 12 }, () => t.shedder.decide().accept).filter(Boolean)).toHaveLength(10);
  });

  it('a shed call does not count toward the calls/s mark', () => {
    const t = setup({ callsPerSecond: 2 });
    t.setLoop(900);
    for (let i = 0; i < 10; i += 1) expect(t.shedder.decide()).toMatchObject({ accept: false, reason: 'event-loop-delay' });
    t.setLoop(1);
    expect([t.shedder.decide().accept, t.shedder.decide().accept, t.shedder.decide().accept]).toEqual([true, true, false]);
  });

  it('a delayed loop on an idle CPU (the host did not run the router) sheds nothing; a busy one does', () => {
    const t = setup({ callsPerSecond: 0 });
    t.setLoop(900);
    t.setCpu(0.2);
    expect(t.shedder.decide().accept).toBe(true);
    t.setCpu(0.95);
    expect(t.shedder.decide()).toMatchObject({ accept: false, reason: 'event-loop-delay', detail: expect.stringContaining('router CPU 95% of a core') as unknown });
  });

  it('logs the first shed call at once, then at most once per interval with how many were shed meanwhile', () => {
    const t = setup();
    t.setFs({ sessions: 950, maxSessions: 1000, sessionsPerSecondMax: 30 });
    for (let i = 0; i < 50; i += 1) { t.shedder.decide(); t.at(100); }
    t.at(5_000);
    t.shedder.decide();
    const warns = t.lines.filter((l) => l.msg === 'over capacity: new calls handed to the dialplan fallback');
    expect(warns.map((w) => [w.shedSinceLastLog, w.shedTotal])).toEqual([[1, 1], [50, 51]]);
    expect(warns[0]).toMatchObject({ level: 40, reason: 'freeswitch-sessions', detail: '950 FreeSWITCH sessions, mark 900 of 1000' });
  });

  it('the first call taken after shedding logs the calls shed since the last line, once', () => {
    const t = setup({ callsPerSecond: 0 });
    t.setFs({ sessions: 950, maxSessions: 1000, sessionsPerSecondMax: 30 });
    for (let i = 0; i < 7; i += 1) { t.shedder.decide(); t.at(100); }
    t.setFs({ sessions: 10, maxSessions: 1000, sessionsPerSecondMax: 30 });
    expect([t.shedder.decide().accept, t.shedder.decide().accept]).toEqual([true, true]);
    const lines = t.lines.filter((l) => l.level === 40).map((l) => [l.msg, l.shedSinceLastLog, l.shedTotal]);
    expect(lines).toEqual([
      ['over capacity: new calls handed to the dialplan fallback', 1, 1],
      ['under capacity again: new calls taken', 6, 7],
    ]);
  });

  it('health: degraded while a mark is reached and for a while after the last shed call, then ok', () => {
    const t = setup();
    expect(t.shedder.health()).toEqual({ state: 'ok', detail: '10/1000 FreeSWITCH sessions, 0/15 calls/s, event loop 2 ms; 0 shed' });
    t.setFs({ sessions: 901, maxSessions: 1000, sessionsPerSecondMax: 30 });
    expect(t.shedder.health()).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/^shedding new calls: 901 FreeSWITCH sessions/) as unknown });
    t.shedder.decide();
    t.setFs({ sessions: 100, maxSessions: 1000, sessionsPerSecondMax: 30 });
    t.at(3_000);
    expect(t.shedder.health()).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/^shed a call 3 s ago: .*; 1 shed$/) as unknown });
    t.at(7_000);
    expect(t.shedder.health().state).toBe('ok');
  });

  it('FreeSWITCH load unknown: health says so and only the router-side marks apply', () => {
    const t = setup();
    t.setFs(undefined);
    expect(t.shedder.health().detail).toMatch(/^FreeSWITCH sessions unknown, 0 calls\/s/);
    expect(Array.from({ length: 100 }, () => t.shedder.decide().accept).every(Boolean)).toBe(true);
  });
});
