import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EslErrorCode, InboundEslClient, type EslError, type EslState } from '../../../src/adapters/esl/index.js';
import { FsPeer } from '../../support/fs-peer/index.js';
import { clientFor, collect, next, settle } from './helpers.js';

describe('InboundEslClient: connect and auth', () => {
  let peer: FsPeer;
  beforeEach(async () => { peer = await FsPeer.start({ password: 'right' }); });
  afterEach(async () => { await peer.close(); });

  it('authenticates, subscribes in json with BACKGROUND_JOB before CUSTOM, and reports connected', async () => {
    const client = clientFor(peer, { password: 'right', events: ['CHANNEL_ANSWER'], subclasses: ['sofia::register'] });
    const states = collect<EslState>(client, 'state');
    expect(client.state).toBe('connecting');
    await client.connect();
    expect(client.state).toBe('connected');
    expect(states).toEqual(['connected']);
    const [session] = [...peer.sessions];
    expect(session?.isAuthed).toBe(true);
    expect(session?.received.map((c) => c.line)).toEqual([
      'auth right',
      'event json CHANNEL_ANSWER BACKGROUND_JOB CUSTOM sofia::register',
    ]);
    await client.close();
    expect(client.state).toBe('closed');
  });

  it('fails fatally on a wrong password: ESL_ERR_AUTH, state failed, no reconnect loop', async () => {
    const client = clientFor(peer, { password: 'wrong' });
    let sessions = 0;
    peer.on('session', () => { sessions += 1; });
    const failed = collect<EslError>(client, 'failed');
    const r = await settle(client.connect());
    expect(r.ok).toBe(false);
    expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.auth);
    expect(!r.ok && (r.error as EslError).message).toMatch(/password/);
    expect(client.state).toBe('failed');
    expect(client.failure?.code).toBe(EslErrorCode.auth);
    expect(failed).toHaveLength(1);
    // Give a reconnect (5–20 ms backoff here) ample opportunity to happen; it must not.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sessions).toBe(1);
    await expect(client.api('status')).rejects.toMatchObject({ code: EslErrorCode.notConnected });
    await expect(client.connect()).rejects.toMatchObject({ code: EslErrorCode.auth });
  });

  it('treats text/rude-rejection (ACL) as a fatal configuration error', async () => {
    peer.configure({ acl: 'reject' });
    const client = clientFor(peer, { password: 'right' });
    const r = await settle(client.connect());
    expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.rudeRejection);
    expect(!r.ok && (r.error as EslError).message).toMatch(/ACL/);
    expect(client.state).toBe('failed');
  });

  it('keeps retrying while FreeSWITCH is unreachable, then connects', async () => {
    const port = peer.port;
    await peer.close();
    const client = new InboundEslClient({ host: '127.0.0.1', port, password: 'right', heartbeatIntervalMs: 0, backoff: { initialMs: 5, maxMs: 20 } });
    const connected = client.connect();
    const retry = await next<{ attempt: number; error: EslError }>(client, 'retry');
    expect(retry.attempt).toBe(1);
    expect(client.state).toBe('connecting');
    peer = await FsPeer.start({ password: 'right', port });
    await connected;
    expect(client.state).toBe('connected');
    await client.close();
  });

  it('rejects connect() when closed before connecting', async () => {
    const port = peer.port;
    await peer.close();
    const client = new InboundEslClient({ host: '127.0.0.1', port, password: 'right', heartbeatIntervalMs: 0 });
    const pending = settle(client.connect());
    await client.close();
    const r = await pending;
    expect(!r.ok && (r.error as EslError).code).toBe(EslErrorCode.closed);
    peer = await FsPeer.start();
  });

  it('treats an unencodable subscription as a fatal configuration error', async () => {
    const client = clientFor(peer, { password: 'right', events: ['CHANNEL ANSWER'] });
    await expect(client.connect()).rejects.toMatchObject({ code: EslErrorCode.invalidCommand });
    expect(client.state).toBe('failed');
  });
});
