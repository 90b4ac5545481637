/**
 * Numbers in a request are finite. ajv coerces the query string `-Infinity` (or `1e400`) to an
 * infinite number and then passes it through `type: integer`, `minimum` and `maximum` alike
 * (its type check is skipped once coerced, and its limit checks test only finite numbers);
 * `JSON.parse('1e400')` is Infinity too. Handlers would hand it on — to SQLite as a limit, to
 * arithmetic — and fail with a 500. Checked once, after validation, for every route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors/index.js';

/** The path (`limit`, `items/0/at`) of the first number that is not finite, if any. Iterative: bodies can nest deep. */
export function firstNonFinite(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return path;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) stack.push([child, path === '' ? k : `${path}/${k}`]);
    }
  }
  return undefined;
}

function check(request: FastifyRequest): void {
  for (const [part, value] of [['querystring', request.query], ['params', request.params], ['body', request.body]] as const) {
    const at = firstNonFinite(value);
    if (at !== undefined) {
      throw new HttpError(400, request.routeOptions.config.validationCode ?? 'FST_ERR_VALIDATION', `${part}/${at} must be a finite number`);
    }
  }
}

export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    try {
      check(request);
      done();
    } catch (err) {
      done(err as HttpError);
    }
  });
}
