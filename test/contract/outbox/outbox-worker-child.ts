/**
 * A second router process's outbox worker on the same embedded file: argv [file, receiver base
 * URL]. Says { ready: true } once its worker runs; on 'stop' stops it, closes the file and exits.
 */
import { openEmbedded } from '../../../src/adapters/records/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import { wireOutbox } from '../../../src/compose/outbox.js';
import { createLogger } from '../../../src/lib/logger.js';
import { SECRETS, TEST_WORKER, registryFor } from './outbox-fixture.js';

const [file, base] = process.argv.slice(2);
if (file === undefined || base === undefined) throw new Error('usage: outbox-worker-child <file> <base-url>');
const clock = { now: () => Date.now() };
const logger = createLogger({ level: 'silent' });
const db = await openEmbedded(file, logger);
const outbox = await wireOutbox({
  db, registry: registryFor(base), env: SECRETS, node: `child-${process.pid}`, clock, timers: new NodeTimers(clock), logger,
  workOrders: { url: `${base}/work-orders`, secret: SECRETS.WO_SECRET }, scheduler: null, worker: TEST_WORKER,
});
outbox.start();
process.send?.({ ready: true });
process.on('message', (m) => {
  if (m !== 'stop') return;
  void (async () => {
    await outbox.stop();
    await db.close();
    process.send?.({ stopped: outbox.worker.counters });
    process.exit(0);
  })();
});
