/**
 * The scheduler port on node-cron: expressions are evaluated in the given IANA time zone, so
 * "00:05" is the hotline's local 00:05 whatever the server's zone. noOverlap: a run still going
 * when the next is due is skipped rather than doubled.
 */
import cron from 'node-cron';
import type { Scheduler } from '../../app/reports/index.js';

export const cronScheduler: Scheduler = {
  schedule(expression, timeZone, fn) {
    if (!cron.validate(expression)) throw new Error(`invalid cron expression: ${expression}`);
    const task = cron.schedule(expression, () => fn(), { timezone: timeZone, noOverlap: true, name: `hotline ${expression}` });
    return () => { void task.destroy(); };
  },
};
