/**
 * FreeSWITCH not listening: the inbound client keeps reconnecting (fast here), and the log says
 * why — with the socket error as the cause — once per cause per interval, not once per attempt.
 */
import { describe, expect, it } from 'vitest';
import { InboundEslClient } from '../../../src/adapters/esl/index.js';
import type { EslLogger } from '../../../src/adapters/esl/logger.js';
import { freePort } from '../../support/redis-server.js';

describe('inbound ESL connection errors in the log', () => {
  it('a refused connection retried many times is one warn line carrying the ECONNREFUSED cause', async () => {
    const warns: { obj: Record<string, unknown>; msg: string }[] = [];
    const noop = (): void => undefined;
    const logger: EslLogger = { debug: noop, info: noop, error: noop, warn: (obj, msg) => { warns.push({ obj: obj as Record<string, unknown>, msg }); } };
    const port = await freePort();
    const client = new InboundEslClient({ host: '127.0.0.1', port, password: 'x', heartbeatIntervalMs: 0, backoff: { initialMs: 5, maxMs: 20 }, logger });
    const retries: number[] = [];
    client.on('retry', (r) => retries.push(r.attempt));
    client.connect().catch(() => undefined);
    const deadline = Date.now() + 5_000;
    while (retries.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await client.close();
    expect(retries.length).toBeGreaterThanOrEqual(5);
    const down = warns.filter((w) => w.msg === 'ESL connection down; reconnecting');
    expect(down).toHaveLength(1);
    const err = down[0]?.obj.err as Error & { cause?: { code?: string } };
    expect(err.cause?.code).toBe('ECONNREFUSED');
    expect(down[0]?.obj).toMatchObject({ target: `127.0.0.1:${port}`, attempt: 1 });
  });
});
