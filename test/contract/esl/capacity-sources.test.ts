/**
 * The measuring behind load shedding: FreeSWITCH's load read with `status` over a real inbound
 * ESL connection (the peer answers as mod_commands does), a reading that goes stale when the
 * connection is lost, and the event-loop monitor seeing a blocked loop.
 */
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
  it('a loop blocked for 150 ms shows a delay of at least 100 ms', async () => {
    const monitor = new EventLoopDelayMonitor(1000, 10);
    monitor.start();
    try {
      await new Promise((r) => setTimeout(r, 50));
      const end = Date.now() + 150;
      while (Date.now() < end) { /* the router stuck in a long synchronous task */ }
      await new Promise((r) => setTimeout(r, 30));
      expect(monitor.current()).toBeGreaterThanOrEqual(100);
    } finally {
      monitor.stop();
    }
  });
});
