/**
 * Ids for calls (callSid), unique across every router node and restart. They key the shared
 * queue entries in Redis and the records' primary key (inserts are idempotent on it), so two nodes
 * handing out the same id would silently drop one call's record and mix two callers in the queue:
 * the boot time alone is not enough, two nodes started in the same millisecond get the same one.
 */
import { randomBytes } from 'node:crypto';
import type { IdGen } from '../core/ports.js';

export function callIds(bootMs: number = Date.now(), random: () => Buffer = () => randomBytes(4)): IdGen {
  let n = 0;
  const boot = `${bootMs.toString(36)}${random().toString('hex')}`;
  return { next: (prefix) => `${prefix}-${boot}-${(n += 1).toString(36)}` };
}
