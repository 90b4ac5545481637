/** Writes calls to the embedded file in batches of 50, reporting each stored batch to the parent, until killed. */
import { pino } from 'pino';
import { openEmbedded } from '../../../src/adapters/records/index.js';
import { calls } from './fixtures.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: embedded-writer-child <file>');
const db = await openEmbedded(file, pino({ level: 'silent' }));
for (let next = 1; ; next += 50) {
  await db.insertCalls(calls(next, 50));
  process.send?.({ stored: next + 49 });
}
