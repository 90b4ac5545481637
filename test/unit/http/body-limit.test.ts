/** HTTP_BODY_LIMIT_BYTES: a body of exactly the limit is taken, one byte more is answered 413. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { createLogger } from '../../../src/lib/logger.js';

describe('HTTP body limit', () => {
  it('exactly the limit is taken, one byte more is 413', async () => {
    const app = await buildApp({
      logger: createLogger({ level: 'silent' }), health: [], bodyLimit: 2048,
      plugins: [(a) => { a.post('/echo', (req) => ({ length: JSON.stringify(req.body).length })); return Promise.resolve(); }],
    });
    const body = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - 8) });
    expect(body(2048)).toHaveLength(2048);
    const ok = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: body(2048) });
    expect(ok.statusCode).toBe(200);
    const over = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: body(2049) });
    expect(over.statusCode).toBe(413);
    await app.close();
  });
});
