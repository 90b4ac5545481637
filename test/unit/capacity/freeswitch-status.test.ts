import { describe, expect, it } from 'vitest';
import { parseFreeswitchStatus } from '../../../src/adapters/esl/freeswitch-load.js';

// `fs_cli -x status` on FreeSWITCH 1.10.12 (mod_commands.c status_function; trailing spaces as it writes them).
const STATUS_1_10_12 = [
  'UP 0 years, 0 days, 17 hours, 57 minutes, 36 seconds, 785 milliseconds, 995 microseconds',
  'FreeSWITCH (Version 1.10.12 -release-10222002881-a88d069d6fgit a88d069 2024-08-02 21:02:27Z 64bit) is ready',
  '53987 session(s) since startup',
  '127 session(s) - peak 131, last 5min 253 ',
  '55 session(s) per Sec out of max 200, peak 61, last 5min 253 ',
  '2000 session(s) max',
  'min idle cpu 0.00/97.71',
  'Current Stack Size/Max 240K/8192K',
  '',
].join('\n');

describe('parseFreeswitchStatus', () => {
  it('reads the sessions now, max-sessions and sessions-per-second, not the since-startup or peak counts', () => {
    expect(parseFreeswitchStatus(STATUS_1_10_12)).toEqual({ sessions: 127, maxSessions: 2000, sessionsPerSecondMax: 200 });
  });

  it('stock limits', () => {
    const body = '0 session(s) since startup\n0 session(s) - peak 0, last 5min 0 \n0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n1000 session(s) max\n';
    expect(parseFreeswitchStatus(body)).toEqual({ sessions: 0, maxSessions: 1000, sessionsPerSecondMax: 30 });
  });

  it('something else is not a reading', () => {
    expect(parseFreeswitchStatus('UP\n')).toBeUndefined();
    expect(parseFreeswitchStatus('-ERR status Command not found!\n')).toBeUndefined();
  });
});
