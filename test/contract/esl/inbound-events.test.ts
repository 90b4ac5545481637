import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsEvent, InboundEslClient, ResyncSignal } from '../../../src/adapters/esl/index.js';
import { FsCore, FsPeer } from '../../support/fs-peer/index.js';
import { clientFor, collect, next } from './helpers.js';

describe('InboundEslClient: events', () => {
  let peer: FsPeer;
  let client: InboundEslClient | undefined;
  beforeEach(async () => { peer = await FsPeer.start(); });
  afterEach(async () => {
    await client?.close();
    await peer.close();
  });

  for (const format of ['json', 'plain'] as const) {
    it(`decodes ${format} events into typed FsEvents`, async () => {
      client = clientFor(peer, { format, events: ['CHANNEL_ANSWER'] });
      await client.connect();
      const got = next<FsEvent>(client, 'event');
      peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'u-1'], ['Caller-Caller-ID-Name', '张三 & Co: "x"'], ['variable_sip_h_X-Line', '12319']]);
      const event = await got;
      expect(event).toMatchObject({ name: 'CHANNEL_ANSWER', uuid: 'u-1', sequence: peer.core.lastSequence });
      expect(event.headers['Caller-Caller-ID-Name']).toBe('张三 & Co: "x"');
      expect(event.headers['variable_sip_h_X-Line']).toBe('12319');
      expect(event.headers['Core-UUID']).toBe(peer.core.coreUuid);
    });
  }

  it('keeps going after a plain event with a malformed %-escape (modesl would throw)', async () => {
    client = clientFor(peer, { format: 'plain', events: ['CHANNEL_ANSWER', 'CHANNEL_HANGUP'] });
    await client.connect();
    const events = collect<FsEvent>(client, 'event');
    const second = next<FsEvent>(client, 'event', (e) => e.name === 'CHANNEL_HANGUP');
    // A value already holding "%E4%B8" is not re-encoded by FreeSWITCH: invalid UTF-8 on the wire.
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'u-2'], ['variable_note', '%E4%B8 50%']]);
    peer.fire('CHANNEL_HANGUP', [['Unique-ID', 'u-2'], ['Hangup-Cause', 'NORMAL_CLEARING']]);
    await second;
    expect(events.map((e) => e.name)).toEqual(['CHANNEL_ANSWER', 'CHANNEL_HANGUP']);
    expect(events[0]?.headers['variable_note']).toBe('\uFFFD 50%');
  });

  it('delivers BACKGROUND_JOB and CUSTOM subclasses because plain names precede CUSTOM', async () => {
    client = clientFor(peer, { events: ['CHANNEL_CREATE'], subclasses: ['callcenter::info'] });
    await client.connect();
    const custom = next<FsEvent>(client, 'event', (e) => e.name === 'CUSTOM');
    peer.fire('CUSTOM', [['Event-Subclass', 'sofia::register']]);
    peer.fire('CUSTOM', [['Event-Subclass', 'callcenter::info'], ['CC-Action', 'agent-status-change']]);
    expect((await custom).subclass).toBe('callcenter::info');
    await expect(client.bgapi('eval ok')).resolves.toMatchObject({ body: 'ok' });
  });

  it('signals resync-needed on an Event-Sequence gap when subscribed to ALL', async () => {
    client = clientFor(peer, { events: ['ALL'] });
    await client.connect();
    const signals = collect<ResyncSignal>(client, 'resync-needed');
    peer.fire('HEARTBEAT');
    peer.fire('HEARTBEAT');
    peer.loseEvents(3);
    const afterGap = next<FsEvent>(client, 'event', (e) => e.name === 'CHANNEL_CREATE');
    const gapSignal = next<ResyncSignal>(client, 'resync-needed');
    const created = peer.fire('CHANNEL_CREATE', [['Unique-ID', 'u-3']]);
    await afterGap;
    const seq = Number(created.headers.find(([n]) => n === 'Event-Sequence')?.[1]);
    expect(await gapSignal).toEqual({ reason: 'sequence-gap', expected: seq - 3, got: seq, lost: 3 });
    expect(signals).toHaveLength(1);
  });

  it('does not treat skipped numbers as loss on a narrower subscription, but does notice a FreeSWITCH restart', async () => {
    client = clientFor(peer, { events: ['CHANNEL_ANSWER'] });
    await client.connect();
    const signals = collect<ResyncSignal>(client, 'resync-needed');
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'a']]);
    peer.fire('CHANNEL_CREATE', [['Unique-ID', 'b']]); // not subscribed: takes a number we never see
    const restarted = new FsCore('fs-peer');
    const signal = next<ResyncSignal>(client, 'resync-needed');
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'c']]);
    peer.fireEvent(restarted.create('CHANNEL_ANSWER', [['Unique-ID', 'd']]));
    expect(await signal).toEqual({ reason: 'core-changed' });
    expect(signals).toEqual([{ reason: 'core-changed' }]);
  });

  it('probes a silent connection with api status and reconnects when the probe fails', async () => {
    client = clientFor(peer, { heartbeatIntervalMs: 30, commandTimeoutMs: 30 });
    await client.connect();
    const [session] = [...peer.sessions];
    const probed = next(session!, 'command', (c: { line: string }) => c.line === 'api status');
    await probed;
    // Now FreeSWITCH stops answering (wedged); the next probe times out and the client reconnects.
    peer.api('status', () => new Promise<string>(() => undefined));
    await next(client, 'disconnected');
    peer.api('status', () => 'UP\n');
    await next(client, 'connected');
    expect(client.state).toBe('connected');
  });

  it('applies filters after subscribing', async () => {
    client = clientFor(peer, { events: ['CHANNEL_ANSWER'], filters: [['Unique-ID', 'mine']] });
    await client.connect();
    const events = collect<FsEvent>(client, 'event');
    const mine = next<FsEvent>(client, 'event', (e) => e.uuid === 'mine');
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'other']]);
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'mine']]);
    await mine;
    expect(events.map((e) => e.uuid)).toEqual(['mine']);
  });

  it('reconnects after a graceful text/disconnect-notice', async () => {
    client = clientFor(peer);
    await client.connect();
    const [session] = [...peer.sessions];
    const down = next<unknown>(client, 'disconnected');
    const up = next(client, 'connected');
    session?.disconnect();
    await down;
    await up;
    await expect(client.api('eval again')).resolves.toBe('again');
  });

  it('survives a consumer listener that throws', async () => {
    client = clientFor(peer, { events: ['CHANNEL_ANSWER'] });
    await client.connect();
    const second = next<FsEvent>(client, 'event', (e) => e.uuid === 'two');
    client.on('event', () => { throw new Error('consumer bug'); });
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'one']]);
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'two']]);
    await second;
    expect(client.state).toBe('connected');
    await expect(client.api('eval fine')).resolves.toBe('fine');
  });
});
