/** The live-call directory follows the calls: written when the agent answers, removed with the call's record. */
import { describe, expect, it } from 'vitest';
import { MemoryLiveCalls } from '../../../src/adapters/store/memory/index.js';
import type { CallAcd } from '../../../src/app/acd/call-acd-port.js';
import { LiveCallTracker } from '../../../src/app/cluster/live-call-tracker.js';
import type { TransferableCall } from '../../../src/app/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';

const answered: string[] = [];
const acd = {
  agentAnswered: (callId: string, agentId: string) => { answered.push(`${callId} ${agentId}`); return Promise.resolve(); },
} as unknown as CallAcd;
const call = (callSid: string): TransferableCall => ({
  callSid, callerUuid: `${callSid}-caller`, agentUuid: `${callSid}-agent`, agentId: '1001', line: '12345', bridgedToAgent: true, freeswitch: 'fs1',
});

describe('LiveCallTracker', () => {
  it('records the call with its node, legs and FreeSWITCH when the agent answers; forgets it with the record', async () => {
    const directory = new MemoryLiveCalls();
    const removed: string[] = [];
    const remove = directory.remove.bind(directory);
    directory.remove = (sid) => { removed.push(sid); return remove(sid); };
    const t = new LiveCallTracker({ directory, nodeId: 'n1', call, logger: createLogger({ level: 'silent' }) });
    await t.wrap(acd).agentAnswered('c1', '1001');
    t.forget('c1'); // before the write has settled: removed after it
    await t.idle();
    await new Promise((r) => setImmediate(r));
    expect(answered).toEqual(['c1 1001']);
    expect(removed).toEqual(['c1']);
    expect(await directory.get('c1')).toBeUndefined();

    await t.wrap(acd).agentAnswered('c2', '1001');
    await t.idle();
    expect(await directory.get('c2')).toEqual({
      callSid: 'c2', node: 'n1', callerUuid: 'c2-caller', agentUuid: 'c2-agent', agentId: '1001', freeswitch: 'fs1', ownerAlive: true,
    });
    t.forget('never-answered'); // nothing written, nothing removed
    await new Promise((r) => setImmediate(r));
    expect(removed).toEqual(['c1']);
  });

  it('a directory that fails does not fail the call: the ACD answer stands', async () => {
    const directory = new MemoryLiveCalls();
    directory.put = () => Promise.reject(new Error('ECONNREFUSED'));
    const t = new LiveCallTracker({ directory, nodeId: 'n1', call, logger: createLogger({ level: 'silent' }) });
    await expect(t.wrap(acd).agentAnswered('c3', '1001')).resolves.toBeUndefined();
    await t.idle();
    t.forget('c3');
  });
});
