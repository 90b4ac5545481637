/**
 * The measuring behind load shedding: FreeSWITCH's load read with `status` over a real inbound
 * ESL connection (the peer answers as mod_commands does), a reading that goes stale when the
 * connection is lost, and the event-loop monitor seeing a blocked loop — and telling a loop
 * blocked by its own work (CPU busy) from a process the host did not run (SIGSTOP: CPU idle).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FreeswitchLoadPoller } from '../../../src/adapters/esl/freeswitch-load.js';
import { InboundEslClient } from '../../../src/adapters/esl/index.js';
import { EventLoopDelayMonitor } from '../../../src/adapters/timers/index.js';
import { FsPeer } from '../../support/fs-peer/index.js';

describe('FreeswitchLoadPoller over the inbound ESL', () => {
  let peer: FsPeer | undefined;
  let client: InboundEslClient | undefined;
  afterEach(async () => {
    await client?.close();
    await peer?.close();
  });

  it('reads sessions and limits from status, and forgets them once stale', async () => {
    peer = await FsPeer.start();
    client = new InboundEslClient({ host: peer.host, port: peer.port, password: 'ClueCon' });
    await client.connect();
    const poller = new FreeswitchLoadPoller(client, { staleMs: 200 });
    expect(poller.current()).toBeUndefined();
    peer.load.sessions = 734;
    peer.load.maxSessions = 2000;
    peer.load.sessionsPerSecond = 200;
    await poller.refresh();
    expect(poller.current()).toEqual({ sessions: 734, maxSessions: 2000, sessionsPerSecondMax: 200 });

    peer.dropAll();
    await expect(poller.refresh()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 250));
    expect(poller.current()).toBeUndefined();
  });
});

describe('EventLoopDelayMonitor', () => {
  it('a loop blocked for 150 ms shows a delay of at least 100 ms, and the CPU the process spent meanwhile', async () => {
    const monitor = new EventLoopDelayMonitor(10_000, 10);
    // Every reading bracketed: at nice 19 beside a busy loop this process can be descheduled
    // between two reads for tens of milliseconds, so a single reading next to the monitor's is not
    // its window (seen: 0.137 apart). The monitor's share must lie between the bracket's bounds.
    const cpuUs = (): number => { const c = process.cpuUsage(); return c.user + c.system; };
    const wallUs = (): number => performance.now() * 1000;
    const [wallStart0, cpuStart0] = [wallUs(), cpuUs()];
    monitor.start();
    const [cpuStart1, wallStart1] = [cpuUs(), wallUs()];
    try {
      await new Promise((r) => setTimeout(r, 50));
      const end = Date.now() + 150;
      while (Date.now() < end) { /* the router stuck in a long synchronous task */ }
      await new Promise((r) => setTimeout(r, 30));
      const [wallRead0, cpuRead0] = [wallUs(), cpuUs()];
      const share = monitor.cpuShare();
      const [cpuRead1, wallRead1] = [cpuUs(), wallUs()];
      expect(monitor.current()).toBeGreaterThanOrEqual(100);
      // The CPU a host gave the process over the monitor's window, whatever the load beside it:
      // no fixed floor (at nice 19 beside a busy loop the spin got 8.7 % of a core).
      const low = (cpuRead0 - cpuStart1) / (wallRead1 - wallStart0);
      const high = (cpuRead1 - cpuStart0) / (wallRead0 - wallStart1);
      expect(low).toBeGreaterThan(0);
      expect(share).toBeGreaterThanOrEqual(low - 0.01);
      expect(share).toBeLessThanOrEqual(high + 0.01);
    } finally {
      monitor.stop();
    }
  });

  // A 250 ms window: the stop spans a window's end, so on resume the window timer and the
  // histogram's run in either order and the delay may land in a window only just begun.
  // 1.5 s of running first, in a 2 s window: the stop is one sample among 150 ticks, outside
  // their plain 99th percentile.
  it.each([
    { windowMs: 1000, runFirstMs: 200 },
    { windowMs: 250, runFirstMs: 200 },
    { windowMs: 2000, runFirstMs: 1500 },
  ])('a process stopped for 700 ms shows the delay with an idle CPU (not its own load), window $windowMs ms, $runFirstMs ms run first', async ({ windowMs, runFirstMs }) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./children/loop-monitor-child.ts', import.meta.url)), String(windowMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const readings: { delayMs: number; cpuShare: number }[] = [];
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) readings.push(JSON.parse(l) as { delayMs: number; cpuShare: number });
    });
    try {
      const until = async (n: number): Promise<void> => {
        const end = Date.now() + 20_000;
        while (readings.length < n) {
          if (Date.now() > end) throw new Error(`child gave ${readings.length} readings of ${n}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await until(runFirstMs / 20);
      child.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, 700));
      const before = readings.length;
      child.kill('SIGCONT');
      await until(before + 5);
      const after = readings.slice(before);
      const stalled = after.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
      expect(stalled.delayMs).toBeGreaterThanOrEqual(500);
      expect(stalled.cpuShare).toBeLessThan(0.3);
    } finally {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });
});
