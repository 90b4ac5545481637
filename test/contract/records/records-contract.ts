/**
 * The records database contract: every adapter (embedded file, PostgreSQL) passes the same
 * suites. A target hands out a fresh empty database per test.
 */
import { describe } from 'vitest';
import { callsContract } from './contract-calls.js';
import { logsContract } from './contract-logs.js';
import { outboxContract } from './contract-outbox.js';
import { lifecycleContract } from './contract-lifecycle.js';
import type { RecordsTarget } from './fixtures.js';

export function recordsContract(target: RecordsTarget): void {
  describe.skipIf(!target.available)(`records database contract: ${target.name}`, () => {
    callsContract(target);
    outboxContract(target);
    logsContract(target);
    lifecycleContract(target);
  });
}
