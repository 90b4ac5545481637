import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EslErrorCode, HANGUP_AFTER_NOTICE_MS, OutboundEslServer, type CallChannel, type OutboundEslServerOptions, type EslError, type FsEvent, type HangupInfo,
} from '../../../src/adapters/esl/index.js';
import { FsOutboundCall, untilHangup } from '../../support/fs-peer/index.js';
import { collect, next, settle } from './helpers.js';

describe('OutboundEslServer and CallChannel', () => {
  let server: OutboundEslServer;
  let channels: CallChannel[];
  let address: { host: string; port: number };
  let calls: FsOutboundCall[];

  const nextChannel = (): Promise<CallChannel> => new Promise((resolve) => {
    const before = channels.length;
    const poll = (): void => { if (channels.length > before) resolve(channels[before]!); else setImmediate(poll); };
    poll();
  });

  async function dial(over: Partial<Parameters<typeof FsOutboundCall.dial>[0]> = {}): Promise<[FsOutboundCall, CallChannel]> {
    const channel = nextChannel();
    const call = await FsOutboundCall.dial({ ...address, ...over });
    calls.push(call);
    return [call, await channel];
  }

  /** Replaces the suite's server with one built from these options (the handler still collects channels). */
  async function serveWith(opts: Omit<OutboundEslServerOptions, 'handler'>): Promise<void> {
    await server.close();
    server = new OutboundEslServer({ handler: (ch) => { channels.push(ch); }, ...opts });
    address = await server.listen();
  }

  /** A call on a server lingering 30 s whose CHANNEL_HANGUP FreeSWITCH will lose. */
  async function dialLosingHangup(): Promise<[FsOutboundCall, CallChannel, Promise<HangupInfo>]> {
    await serveWith({ linger: 30 });
    const [call, channel] = await dial();
    call.lost.add('CHANNEL_HANGUP');
    return [call, channel, next<HangupInfo>(channel, 'hangup')];
  }

  beforeEach(async () => {
    channels = [];
    calls = [];
    server = new OutboundEslServer({ handler: (ch) => { channels.push(ch); }, linger: 'forever' });
    address = await server.listen();
  });
  afterEach(async () => {
    await server.close();
    for (const c of calls) c.drop();
  });

  it('listens on loopback and exposes the channel data from the connect handshake', async () => {
    expect(address.host).toBe('127.0.0.1');
    const [call, channel] = await dial({
      profile: { destination: '12319', callerNumber: '13912345678', variables: { 'sip_h_X-Legacy-Line': '12319', note: 'a b&c' } },
    });
    expect(channel.uuid).toBe(call.uuid);
    expect(channel.channelData['Caller-Destination-Number']).toBe('12319');
    expect(channel.channelData['Caller-Caller-ID-Number']).toBe('13912345678');
    expect(channel.channelData['variable_sip_h_X-Legacy-Line']).toBe('12319');
    expect(channel.channelData['variable_note']).toBe('a b&c');
    expect(channel.channelData['Reply-Text']).toBe('+OK\n');
    expect(call.received.map((c) => c.line)).toEqual([
      'connect', 'myevents json', 'event json PLAYBACK_START PLAYBACK_STOP RECORD_START RECORD_STOP CHANNEL_EXECUTE_COMPLETE', 'linger',
    ]);
    expect(server.activeChannels).toBe(1);
  });

  it('refuses a socket that is not "async full" with a clear error', async () => {
    const failure = next<EslError>(server, 'handshake-error');
    const call = await FsOutboundCall.dial({ ...address, full: false });
    calls.push(call);
    const err = await failure;
    expect(err.message).toMatch(/async full/);
    expect(channels).toHaveLength(0);
  });

  it('execute resolves on the CHANNEL_EXECUTE_COMPLETE whose Application-UUID is its Event-UUID', async () => {
    const [call, channel] = await dial();
    const events = collect<FsEvent>(channel, 'event');
    const answered = await channel.execute('answer');
    expect(answered.headers['Application']).toBe('answer');
    expect(events.map((e) => e.name)).toEqual(['CHANNEL_EXECUTE', 'CHANNEL_ANSWER', 'CHANNEL_EXECUTE_COMPLETE']);
    // Two of the same application queued at once each resolve with their own completion.
    const [a, b] = await Promise.all([channel.execute('playback', 'one.wav'), channel.execute('playback', 'two.wav')]);
    expect(a.headers['Application-Data']).toBe('one.wav');
    expect(b.headers['Application-Data']).toBe('two.wav');
    expect(a.headers['Application-Response']).toBe('FILE PLAYED');
    expect(a.headers['Application-UUID']).not.toBe(b.headers['Application-UUID']);
    // Short ids, not 36-character UUIDs: FreeSWITCH reads each header byte with its own recv().
    expect(a.headers['Application-UUID']?.length).toBeLessThan(20);
    expect(call.runner.completed.map((c) => c.app)).toEqual(['answer', 'playback', 'playback']);
  });

  it('sends a multi-line argument as a text/plain body and executeAsync returns once queued', async () => {
    const [call, channel] = await dial();
    const done = await channel.execute('set', 'greeting=line1\nline2');
    expect(done.headers['Application-Data']).toBe('greeting=line1\nline2');
    expect(call.runner.variables.get('greeting')).toBe('line1\nline2');
    call.app('park', untilHangup);
    const first = next<FsEvent>(channel, 'event', (e) => e.name === 'CHANNEL_EXECUTE' || e.name === 'CHANNEL_EXECUTE_COMPLETE');
    const eventUuid = await channel.executeAsync('park');
    const started = await first;
    expect(started.headers['Application-UUID']).toBe(eventUuid);
    expect(started.name).toBe('CHANNEL_EXECUTE');
  });

  it('relays channel events: DTMF, PLAYBACK_STOP, CHANNEL_BRIDGE', async () => {
    const [call, channel] = await dial();
    const names = collect<FsEvent>(channel, 'event');
    const bridged = next<FsEvent>(channel, 'event', (e) => e.name === 'CHANNEL_BRIDGE');
    call.dtmf('1');
    call.fire('PLAYBACK_STOP', [['Playback-Status', 'break']]);
    call.fire('CHANNEL_BRIDGE', [['Other-Leg-Unique-ID', 'agent-leg']]);
    await bridged;
    expect(names.map((e) => e.name)).toEqual(['DTMF', 'PLAYBACK_STOP', 'CHANNEL_BRIDGE']);
    expect(names[0]?.headers['DTMF-Digit']).toBe('1');
  });

  it('rejects an execute in progress with ESL_ERR_HANGUP when the caller hangs up, and refuses later ones', async () => {
    const [call, channel] = await dial();
    call.app('playback', untilHangup);
    const hangup = next<HangupInfo>(channel, 'hangup');
    const playing = settle(channel.execute('playback', 'hold-music.wav'));
    await next<FsEvent>(channel, 'event', (e) => e.name === 'CHANNEL_EXECUTE');
    await call.hangup('ORIGINATOR_CANCEL');
    const r = await playing;
    expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.hangup);
    expect((await hangup).cause).toBe('ORIGINATOR_CANCEL');
    expect(channel.hungUp?.cause).toBe('ORIGINATOR_CANCEL');
    await expect(channel.execute('playback', 'x.wav')).rejects.toMatchObject({ code: EslErrorCode.hangup });
    // Lingering: the socket is still there for api and the final events.
    await expect(channel.api('eval still-here')).resolves.toBe('still-here');
    await expect(channel.hangup()).resolves.toBeUndefined();
  });

  it('hangup() hangs the channel up through sendmsg', async () => {
    const [call, channel] = await dial();
    const hungUp = next<HangupInfo>(channel, 'hangup');
    await channel.hangup('USER_BUSY');
    expect((await hungUp).cause).toBe('USER_BUSY');
    expect(call.runner.hangupCause).toBe('USER_BUSY');
  });

  it('rejects pending and later commands when FreeSWITCH closes the socket', async () => {
    const [call, channel] = await dial();
    call.app('park', untilHangup);
    const parked = settle(channel.execute('park'));
    await next<FsEvent>(channel, 'event', (e) => e.name === 'CHANNEL_EXECUTE');
    const closed = next<EslError>(channel, 'close');
    const hangup = next<HangupInfo>(channel, 'hangup');
    call.drop();
    const r = await parked;
    expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.disconnected);
    expect((await hangup).cause).toBe('UNKNOWN');
    expect((await closed).code).not.toBe(EslErrorCode.closed);
    await expect(channel.api('status')).rejects.toMatchObject({ code: EslErrorCode.disconnected });
    expect(server.activeChannels).toBe(0);
  });

  it('the router closing a call sends exit; commands then reject with ESL_ERR_CLOSED', async () => {
    const [call, channel] = await dial();
    const peerClosed = next(call, 'close');
    const hangups = collect<HangupInfo>(channel, 'hangup');
    await channel.close();
    await peerClosed;
    expect(call.received.at(-1)?.line).toBe('exit');
    expect(hangups).toEqual([]);
    await expect(channel.execute('answer')).rejects.toMatchObject({ code: EslErrorCode.closed });
  });

  it('takes FreeSWITCH\'s "+OK bye" to the exit it sent as expected, not as a stray reply', async () => {
    const warnings: string[] = [];
    const log = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_o: object, msg: string) => { warnings.push(msg); } };
    const quiet = new OutboundEslServer({ handler: (ch) => { channels.push(ch); }, linger: 'forever', logger: log });
    const at = await quiet.listen();
    try {
      const channel = nextChannel();
      const call = await FsOutboundCall.dial({ ...at });
      calls.push(call);
      const peerClosed = next(call, 'close');
      await (await channel).close();
      await peerClosed;
      await new Promise((r) => setImmediate(r));
      expect(call.received.at(-1)?.line).toBe('exit');
      expect(warnings).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('a failing handler releases the call to the dialplan instead of crashing', async () => {
    await server.close();
    server = new OutboundEslServer({ handler: () => Promise.reject(new Error('boom')) });
    address = await server.listen();
    const call = await FsOutboundCall.dial(address);
    calls.push(call);
    await next(call, 'close');
    expect(call.received.map((c) => c.line)).toContain('exit');
  });

  it('closes the socket once the handler resolves: a lingering FreeSWITCH session is not held for the linger time', async () => {
    // Real FreeSWITCH 1.10.12: after hangup the socket lingers and the session stays
    // "Locked, Waiting on external entities" until the router closes it (e2e, issue 3).
    await server.close();
    server = new OutboundEslServer({
      handler: (ch) => new Promise<void>((resolve) => { channels.push(ch); ch.once('hangup', () => resolve()); }),
      linger: 30,
    });
    address = await server.listen();
    const [call, channel] = await dial();
    const peerClosed = next(call, 'close');
    await call.hangup('NORMAL_CLEARING');
    await peerClosed;
    expect(call.received.at(-1)?.line).toBe('exit');
    expect(channel.isOpen).toBe(false);
  });

  it('survives a connection that dies mid-handshake', async () => {
    const failure = next<EslError>(server, 'handshake-error');
    const call = await FsOutboundCall.dial(address);
    call.dropWhen = (c) => c.line === 'connect';
    calls.push(call);
    expect((await failure).code).toBe(EslErrorCode.disconnected);
    const [, channel] = await dial();
    await expect(channel.api('eval alive')).resolves.toBe('alive');
  });

  it('lingers after hangup for the final events, then closes when FreeSWITCH ends the linger', async () => {
    await serveWith({ linger: 5 });
    const [call, channel] = await dial();
    expect(call.received.at(-1)?.line).toBe('linger 5');
    const names = collect<FsEvent>(channel, 'event');
    const complete = next<FsEvent>(channel, 'event', (e) => e.name === 'CHANNEL_HANGUP_COMPLETE');
    await call.hangup('NORMAL_CLEARING');
    expect((await complete).headers['Hangup-Cause']).toBe('NORMAL_CLEARING');
    expect(names.map((e) => e.name)).toEqual(['CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE']);
    expect(channel.isOpen).toBe(true);
    const closed = next<EslError>(channel, 'close');
    call.endLinger();
    expect((await closed).code).toBe(EslErrorCode.disconnected);
    expect(channel.isOpen).toBe(false);
  });

  it('a CHANNEL_HANGUP that never comes: hung up from the linger notice within HANGUP_AFTER_NOTICE_MS, not the linger', async () => {
    const [call, channel, hungUp] = await dialLosingHangup();
    const t0 = performance.now();
    await call.hangup('NORMAL_CLEARING');
    expect((await hungUp).cause).toBe('UNKNOWN');
    // It waited for a late CHANNEL_HANGUP first.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(HANGUP_AFTER_NOTICE_MS - 50);
    // Still lingering: the hang-up came from the notice, not from FreeSWITCH closing the socket.
    expect(channel.isOpen).toBe(true);
    await expect(channel.execute('playback', 'x.wav')).rejects.toMatchObject({ code: EslErrorCode.hangup });
  });

  it('a CHANNEL_HANGUP that comes after the notice still gives its cause', async () => {
    const [call, , hungUp] = await dialLosingHangup();
    await call.hangup('USER_BUSY');
    call.lost.delete('CHANNEL_HANGUP');
    call.fire('CHANNEL_HANGUP', [['Hangup-Cause', 'USER_BUSY']]);
    expect((await hungUp).cause).toBe('USER_BUSY');
  });

  it('onlyEvents: noevents then one short event line, not a nixevent list; the rest of myevents stays out', async () => {
    await serveWith({ extraEvents: [], onlyEvents: ['CHANNEL_HANGUP', 'DTMF'] });
    const [call, channel] = await dial();
    expect(call.received.map((c) => c.line)).toEqual(['connect', 'myevents json', 'noevents', 'event json CHANNEL_HANGUP DTMF CHANNEL_EXECUTE_COMPLETE', 'linger 30']);
    const names = collect<FsEvent>(channel, 'event');
    const dtmf = next<FsEvent>(channel, 'event', (e) => e.name === 'DTMF');
    call.fire('CHANNEL_STATE');
    call.fire('CHANNEL_ANSWER');
    call.dtmf('7');
    await dtmf;
    expect(names.map((e) => e.name)).toEqual(['DTMF']);
  });

  it('hands events that arrived during the handshake to the handler', async () => {
    await server.close();
    const seen: string[] = [];
    server = new OutboundEslServer({ handler: (ch) => { ch.on('event', (e) => seen.push(e.name)); channels.push(ch); } });
    address = await server.listen();
    const [call, channel] = await dial();
    const dtmf = next<FsEvent>(channel, 'event', (e) => e.name === 'DTMF');
    call.dtmf('5');
    await dtmf;
    expect(seen).toEqual(['CHANNEL_PARK', 'DTMF']);
  });
});
