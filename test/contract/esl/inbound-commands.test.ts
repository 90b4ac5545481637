import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EslErrorCode, type EslError, type InboundEslClient, type ResyncSignal } from '../../../src/adapters/esl/index.js';
import { FsPeer } from '../../support/fs-peer/index.js';
import { clientFor, next, settle } from './helpers.js';

describe('InboundEslClient: api and bgapi', () => {
  let peer: FsPeer;
  let client: InboundEslClient;
  beforeEach(async () => {
    peer = await FsPeer.start();
    client = clientFor(peer);
    await client.connect();
  });
  afterEach(async () => {
    await client.close();
    await peer.close();
  });

  it('round-trips api and writes each command in a single write', async () => {
    await expect(client.api('status')).resolves.toMatch(/is ready/);
    const [session] = [...peer.sessions];
    const before = session?.chunks ?? 0;
    await client.api('eval hello');
    await client.api('eval world');
    expect((session?.chunks ?? 0) - before).toBe(2);
  });

  it('correlates many concurrent api calls with their own answers, in order', async () => {
    // A scripted delay that varies per call: FreeSWITCH still answers one command at a time.
    peer.api('echo', async (_c, arg) => {
      await new Promise((r) => setImmediate(r));
      return `echo:${arg}`;
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => client.api(`echo ${i}`)));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => `echo:${i}`));
  });

  it('correlates concurrent bgapi jobs by Job-UUID although they complete out of order', async () => {
    const releases: (() => void)[] = [];
    peer.api('job', (_c, arg) => new Promise<string>((resolve) => releases.push(() => resolve(`+OK job ${arg}\n`))));
    const jobs = Array.from({ length: 50 }, (_, i) => client.bgapi(`job ${i}`));
    while (releases.length < 50) await new Promise((r) => setImmediate(r));
    for (const release of [...releases].reverse()) release();
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.body)).toEqual(Array.from({ length: 50 }, (_, i) => `+OK job ${i}\n`));
    expect(new Set(results.map((r) => r.jobUuid)).size).toBe(50);
  });

  it('rejects -ERR answers with ESL_ERR_COMMAND carrying the reply', async () => {
    const api = await settle(client.api('no_such_command'));
    expect(!api.ok && (api.error as EslError).code).toBe(EslErrorCode.command);
    expect(!api.ok && (api.error as EslError).reply).toBe('-ERR no_such_command Command not found!\n');
    await expect(client.bgapi('no_such_command')).rejects.toMatchObject({ code: EslErrorCode.command });
  });

  it('refuses an api command with a newline instead of sending a second command', async () => {
    await expect(client.api('status\n\napi fsctl shutdown')).rejects.toMatchObject({ code: EslErrorCode.invalidCommand });
    const [session] = [...peer.sessions];
    expect(session?.received.some((c) => c.line.includes('fsctl'))).toBe(false);
  });

  it('times out a command that gets no answer, keeping later replies aligned', async () => {
    await client.close();
    client = clientFor(peer, { commandTimeoutMs: 50 });
    await client.connect();
    let release: (v: string) => void = () => undefined;
    peer.api('stuck', () => new Promise<string>((resolve) => { release = resolve; }));
    await expect(client.api('stuck')).rejects.toMatchObject({ code: EslErrorCode.timeout });
    const after = client.api('eval after');
    release('late answer');
    await expect(after).resolves.toBe('after');
  });

  it('rejects every outstanding command with ESL_ERR_DISCONNECTED when the peer drops, then reconnects and asks for a resync', async () => {
    peer.api('hang', () => new Promise<string>(() => undefined));
    const [session] = [...peer.sessions];
    const started = next(session!, 'command', (c: { line: string }) => c.line === 'api hang');
    // FreeSWITCH runs one command at a time: the second and third wait behind the first.
    const inFlight = [settle(client.api('hang')), settle(client.api('eval queued')), settle(client.bgapi('eval job'))];
    await started;
    const resync = next<ResyncSignal>(client, 'resync-needed');
    const reconnected = next(client, 'connected');
    const disconnected = next<EslError>(client, 'disconnected');
    session?.drop();
    const results = await Promise.all(inFlight);
    for (const r of results) expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.disconnected);
    expect((await disconnected).code).toBeDefined();
    await reconnected;
    expect(await resync).toEqual({ reason: 'reconnected' });
    expect(client.state).toBe('connected');
    await expect(client.api('eval back')).resolves.toBe('back');
  });

  it('rejects with ESL_ERR_NOT_CONNECTED between connections and ESL_ERR_CLOSED after close', async () => {
    const [session] = [...peer.sessions];
    const down = next(client, 'disconnected');
    peer.configure({ acl: 'allow' });
    session?.drop();
    await down;
    expect(client.state).toBe('reconnecting');
    await expect(client.api('status')).rejects.toMatchObject({ code: EslErrorCode.notConnected });
    await next(client, 'connected');
    await client.close();
    await expect(client.api('status')).rejects.toMatchObject({ code: EslErrorCode.closed });
  });
});
