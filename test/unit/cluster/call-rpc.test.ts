/** The call RPC between nodes over an in-memory transport: replies, timeouts, a gone owner, garbage. */
import { describe, expect, it } from 'vitest';
import { CallRpc, RpcError, type RpcEnvelope, type RpcServe, type RpcTransport } from '../../../src/app/cluster/call-rpc.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';

/** Nodes on one in-memory "pub/sub": a send reaches the node's handler if it listens. */
class Hub {
  readonly handlers = new Map<string, (m: unknown) => void>();
  failSends = false;
  transport(): RpcTransport {
    let own: string | undefined;
    return {
      listen: (nodeId, handler) => { own = nodeId; this.handlers.set(nodeId, handler); return Promise.resolve(); },
      send: (nodeId, msg: RpcEnvelope) => {
        if (this.failSends) return Promise.reject(new Error('connection refused'));
        const h = this.handlers.get(nodeId);
        if (h === undefined) return Promise.resolve(false);
        // Through JSON, as over Redis; delivered on a later turn.
        const copy = JSON.parse(JSON.stringify(msg)) as unknown;
        setImmediate(() => h(copy));
        return Promise.resolve(true);
      },
      close: () => { if (own !== undefined) this.handlers.delete(own); return Promise.resolve(); },
    };
  }
}

const logger = createLogger({ level: 'silent' });

async function pair(serveB: RpcServe, opts: { timeoutMs?: number } = {}) {
  const hub = new Hub();
  const clock = new ManualClock(1_000_000);
  const a = new CallRpc({ nodeId: 'A', transport: hub.transport(), clock, timers: clock, logger, ...opts });
  const b = new CallRpc({ nodeId: 'B', transport: hub.transport(), clock, timers: clock, logger, ...opts });
  await a.start(() => Promise.resolve({ ok: true, value: 'from A' }));
  await b.start(serveB);
  return { hub, clock, a, b };
}

const rejection = async (p: Promise<unknown>): Promise<RpcError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(err)}`);
  return err;
};

describe('CallRpc', () => {
  it('a request reaches the owner, which answers with its value or its refusal', async () => {
    const seen: { body: unknown; from: string }[] = [];
    const { a } = await pair((body, from) => {
      seen.push({ body, from });
      return Promise.resolve((body as { n: number }).n > 0 ? { ok: true, value: { phase: 'consulting' } } : { ok: false, code: 'HOTLINE_ERR_UNKNOWN_CALL', message: 'no call' });
    });
    expect(await a.request('B', { n: 1 })).toEqual({ ok: true, value: { phase: 'consulting' } });
    expect(await a.request('B', { n: 0 })).toEqual({ ok: false, code: 'HOTLINE_ERR_UNKNOWN_CALL', message: 'no call' });
    expect(seen).toEqual([{ body: { n: 1 }, from: 'A' }, { body: { n: 0 }, from: 'A' }]);
  });

  it('no answer within the timeout: rejected as timeout; the late reply is dropped', async () => {
    let answer!: () => void;
    const { a, clock } = await pair(() => new Promise((resolve) => { answer = () => resolve({ ok: true, value: 'late' }); }), { timeoutMs: 500 });
    let outcome: RpcError | undefined;
    void rejection(a.request('B', { n: 1 })).then((e) => { outcome = e; });
    await settle();
    clock.advance(499);
    await settle();
    expect(outcome).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(outcome?.code).toBe('timeout');
    answer();
    await settle();
    await settle();
    // The reply came after the timeout: nothing waits for it, nothing breaks; the next request is answered.
    const next = a.request('B', {}, 500);
    await settle();
    await settle();
    answer();
    expect(await next).toEqual({ ok: true, value: 'late' });
  });

  it('nobody listens on the owner\'s channel: owner-gone at once (no wait for the timeout)', async () => {
    const { a, b, clock } = await pair(() => Promise.resolve({ ok: true, value: 1 }));
    await b.close();
    const err = await rejection(a.request('B', {}));
    expect(err.code).toBe('owner-gone');
    expect(clock.armed()).toEqual([]); // its timer was cancelled
  });

  it('the transport fails: unavailable', async () => {
    const { a, hub } = await pair(() => Promise.resolve({ ok: true, value: 1 }));
    hub.failSends = true;
    expect((await rejection(a.request('B', {}))).code).toBe('unavailable');
  });

  it('garbage on the channel is ignored: no serve, no crash, a real request still answered', async () => {
    let served = 0;
    const { a, hub } = await pair(() => { served += 1; return Promise.resolve({ ok: true, value: 'fine' }); });
    const toB = hub.handlers.get('B')!;
    const toA = hub.handlers.get('A')!;
    for (const junk of ['not json', 42, null, {}, { rpc: 'req', from: 'A' }, { rpc: 'req', id: 1, from: 'A', body: {} }, { rpc: 'res', id: 'A:1', from: 'B', reply: { ok: 'yes' } }, { rpc: 'nope', id: 'x', from: 'y' }]) {
      toB(junk);
      toA(junk);
    }
    // A reply for a request nobody made is dropped too.
    toA({ rpc: 'res', id: 'A:999', from: 'B', reply: { ok: true, value: 'stray' } });
    expect(served).toBe(0);
    expect(await a.request('B', {})).toEqual({ ok: true, value: 'fine' });
    expect(served).toBe(1);
  });

  it('a request whose serving throws gets an internal refusal, not silence', async () => {
    const { a } = await pair(() => Promise.reject(new Error('boom')));
    expect(await a.request('B', {})).toEqual({ ok: false, code: 'internal', message: 'boom' });
  });
});
