/** Every transfer command goes to the FreeSWITCH node holding the call (NodeRoutedTransferControl). */
import { describe, expect, it } from 'vitest';
import { NodeNotKnownError, NodeRoutedTransferControl } from '../../../src/adapters/esl/node-transfer-control.js';
import type { CallLegs, DialOutcome, DialRequest, TransferControl } from '../../../src/app/transfer/ports.js';

class FakeControl implements TransferControl {
  readonly sent: string[] = [];
  hangupFails: Error | undefined;
  private listeners: ((uuid: string, cause: string) => void)[] = [];
  enterConference(legs: CallLegs): Promise<{ agentUuid: string }> { this.sent.push(`enter ${legs.callSid}`); return Promise.resolve({ agentUuid: `${legs.callSid}-agent` }); }
  holdCaller(legs: CallLegs): Promise<void> { this.sent.push(`hold ${legs.callSid}`); return Promise.resolve(); }
  unholdCaller(legs: CallLegs): Promise<void> { this.sent.push(`unhold ${legs.callSid}`); return Promise.resolve(); }
  dialTarget(legs: CallLegs, req: DialRequest): { uuid: string; outcome: Promise<DialOutcome> } {
    this.sent.push(`dial ${legs.callSid} ${req.dial}`);
    return { uuid: `${legs.callSid}-target`, outcome: Promise.resolve({ kind: 'answered' }) };
  }
  hangup(uuid: string): Promise<void> { this.sent.push(`hangup ${uuid}`); return this.hangupFails === undefined ? Promise.resolve() : Promise.reject(this.hangupFails); }
  releaseCaller(legs: CallLegs): Promise<void> { this.sent.push(`release ${legs.callSid}`); return Promise.resolve(); }
  onHangup(listener: (uuid: string, cause: string) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }
  hungUp(uuid: string): void { for (const l of this.listeners) l(uuid, 'NORMAL_CLEARING'); }
  get listening(): number { return this.listeners.length; }
}

const legs = (callSid: string): CallLegs => ({ callSid, conference: `hotline-${callSid}`, callerUuid: `${callSid}-caller`, agentUuid: undefined });
const req: DialRequest = { legId: 'l1', dial: 'sofia/gateway/carrier/057212345', ringSeconds: 20, callerIdNumber: '12345' };

function setup(where: Record<string, string>) {
  const controls = { 'fs-a': new FakeControl(), 'fs-b': new FakeControl() };
  const holder = new Map(Object.entries(where));
  const routed = new NodeRoutedTransferControl({
    nodes: Object.keys(controls),
    control: (n) => controls[n as keyof typeof controls],
    nodeOf: (callSid) => holder.get(callSid),
  });
  return { ...controls, holder, routed };
}

describe('NodeRoutedTransferControl', () => {
  it('a call on node B: consult, hold, dial, three-way and release all go to B, none to A', async () => {
    const { 'fs-a': a, 'fs-b': b, routed } = setup({ c1: 'fs-b' });
    await routed.enterConference(legs('c1'));
    await routed.holdCaller(legs('c1'));
    await routed.dialTarget(legs('c1'), req).outcome;
    await routed.unholdCaller(legs('c1'));
    await routed.releaseCaller(legs('c1'));
    expect(b.sent).toEqual(['enter c1', 'hold c1', 'dial c1 sofia/gateway/carrier/057212345', 'unhold c1', 'release c1']);
    expect(a.sent).toEqual([]);
  });

  it('calls on different nodes are kept apart', async () => {
    const { 'fs-a': a, 'fs-b': b, routed } = setup({ c1: 'fs-a', c2: 'fs-b' });
    await routed.enterConference(legs('c2'));
    await routed.enterConference(legs('c1'));
    expect(a.sent).toEqual(['enter c1']);
    expect(b.sent).toEqual(['enter c2']);
  });

  it('a channel it sent commands for is hung up on that node, also once its call is no longer known', async () => {
    const { 'fs-a': a, 'fs-b': b, holder, routed } = setup({ c1: 'fs-b' });
    await routed.enterConference(legs('c1'));
    const target = routed.dialTarget(legs('c1'), req).uuid;
    holder.clear(); // the caller hung up: the session is gone
    await routed.hangup('c1-agent', 'NORMAL_CLEARING');
    await routed.hangup(target, 'NORMAL_CLEARING');
    await routed.releaseCaller(legs('c1')); // the call's node is remembered too
    expect(b.sent.slice(-3)).toEqual(['hangup c1-agent', 'hangup c1-target', 'release c1']);
    expect(a.sent).toEqual([]);
  });

  it('a channel never seen is hung up on every node; one node answering is enough', async () => {
    const { 'fs-a': a, 'fs-b': b, routed } = setup({});
    a.hangupFails = new Error('not connected to FreeSWITCH');
    await routed.hangup('stray', 'NORMAL_CLEARING');
    expect(a.sent).toEqual(['hangup stray']);
    expect(b.sent).toEqual(['hangup stray']);
    b.hangupFails = new Error('not connected either');
    await expect(routed.hangup('stray', 'NORMAL_CLEARING')).rejects.toThrow(/not connected to FreeSWITCH/);
  });

  it('a call whose node cannot be told is refused, nothing sent anywhere', async () => {
    const { 'fs-a': a, 'fs-b': b, routed } = setup({});
    await expect(routed.enterConference(legs('c9'))).rejects.toBeInstanceOf(NodeNotKnownError);
    expect(() => routed.dialTarget(legs('c9'), req)).toThrow(NodeNotKnownError);
    expect([...a.sent, ...b.sent]).toEqual([]);
  });

  it('hang-ups from every node reach the listener; a hung-up channel is forgotten; unsubscribe stops all', async () => {
    const { 'fs-a': a, 'fs-b': b, holder, routed } = setup({ c1: 'fs-b' });
    const heard: string[] = [];
    const off = routed.onHangup((uuid) => heard.push(uuid));
    a.hungUp('x-on-a');
    b.hungUp('y-on-b');
    expect(heard).toEqual(['x-on-a', 'y-on-b']);
    const target = routed.dialTarget(legs('c1'), req).uuid;
    b.hungUp(target);
    holder.clear();
    await routed.hangup(target, 'NORMAL_CLEARING'); // forgotten: asked of both
    expect(a.sent).toEqual([`hangup ${target}`]);
    off();
    expect(a.listening + b.listening).toBe(0);
  });
});
