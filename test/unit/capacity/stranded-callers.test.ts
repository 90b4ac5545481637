import { describe, expect, it } from 'vitest';
import { StrandedCallerSweep, parseChannels, strandedCallers } from '../../../src/adapters/esl/stranded-callers.js';

const NOW = 1_800_000_000;
const row = (uuid: string, application: string, callstate: string, age: number): Record<string, string> =>
  ({ uuid, direction: 'inbound', created_epoch: String(NOW - age), name: `sofia/hotline-carrier/${uuid}`, state: 'CS_EXECUTE', application, application_data: '127.0.0.1:8084 async full', callstate });

// As FreeSWITCH 1.10.12 writes it (mod_commands.c show … as json).
const channels = JSON.stringify({
  row_count: 5,
  rows: [
    row('stranded', 'socket', 'RINGING', 60), // in `socket`, never answered, a minute old
    row('young', 'socket', 'RINGING', 10), // a handshake may still be under way
    row('served', 'socket', 'ACTIVE', 300), // the router answered it: it holds the call
    row('pool', 'bridge', 'RINGING', 300), // the fallback ringing the pool
    row('gone', 'socket', 'RINGING', 90),
  ],
});

describe('stranded callers', () => {
  it('are the channels never answered, still in socket, past the handshake window', () => {
    expect(strandedCallers(parseChannels(channels), NOW, 45)).toEqual(['stranded', 'gone']);
    expect(parseChannels('{"row_count":0}')).toEqual([]);
    expect(parseChannels('-ERR no reply')).toEqual([]);
  });

  it('are handed to the dialplan fallback; a caller gone meanwhile does not stop the others', async () => {
    const sent: string[] = [];
    const api = (command: string): Promise<string> => {
      sent.push(command);
      if (command.startsWith('show channels')) return Promise.resolve(channels);
      // The inbound client rejects an -ERR reply.
      if (command.includes(' gone ')) return Promise.reject(new Error('-ERR No such channel!'));
      return Promise.resolve('+OK\n');
    };
    const rescued: string[] = [];
    const sweep = new StrandedCallerSweep({ api }, { extension: 'hotline-fallback', context: 'hotline', onRescued: (u) => rescued.push(u) });
    expect(await sweep.sweep(NOW)).toEqual(['stranded']);
    expect(sent).toEqual(['show channels as json', 'uuid_transfer stranded hotline-fallback XML hotline', 'uuid_transfer gone hotline-fallback XML hotline']);
    expect(rescued).toEqual(['stranded']);
    expect(sweep.rescued).toBe(1);
  });
});
