/**
 * EslTransferControl on the wire: the exact api/bgapi commands FreeSWITCH receives, against the
 * wire-level FreeSWITCH peer (scripted answers and events), and a whole transfer through the
 * TransferService over a real InboundEslClient.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEslClient } from '../../../src/adapters/esl/index.js';
import { EslTransferControl, originateArg } from '../../../src/adapters/esl/transfer-control.js';
import { TransferCounters, TransferService } from '../../../src/app/transfer/index.js';
import { buildTransferDirectory } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { FsPeer } from '../../support/fs-peer/index.js';
import { shanghai } from '../../support/registry-builder.js';
import { clientFor } from '../esl/helpers.js';
import { FakeCalls, FakeWorkOrders } from '../../unit/transfer/fake-ports.js';
import { transferRegistry } from '../../unit/transfer/fixtures.js';

let peer: FsPeer;
let client: InboundEslClient;
let sent: string[];
let originate: (arg: string) => string | Promise<string>;
let joined: boolean;
/** What `uuid_getvar caller-1 hotline_parked` answers: the token of the last release, once "parked". */
let parked: string;
let parkDelayMs: number;

const legs = { callSid: 'c1', conference: 'hotline-c1', callerUuid: 'caller-1', agentUuid: undefined };

beforeEach(async () => {
  peer = await FsPeer.start();
  sent = [];
  joined = false;
  parked = '_undef_';
  parkDelayMs = 30;
  originate = () => '+OK target\n';
  const record = (ok: (arg: string) => string | Promise<string>) => (cmd: string, arg: string) => { sent.push(`${cmd} ${arg}`); return ok(arg); };
  peer.api('uuid_getvar', record((arg) => (arg.endsWith(' hotline_parked') ? `${parked}\n` : 'agent-1')))
    .api('uuid_setvar_multi', record(() => '+OK\n'))
    .api('uuid_transfer', record((arg) => {
      if (arg.startsWith('gone')) return '-ERR No such channel!\n';
      const token = /hotline_parked=([^,]+)/.exec(arg)?.[1];
      setTimeout(() => { joined = true; if (token !== undefined) parked = token; }, parkDelayMs);
      return '+OK\n';
    }))
    .api('conference', record((arg) => (joined || !/ deaf /.test(arg) ? `+OK ${arg.split(' ')[1] ?? ''} 1\n` : '-ERR Conference hotline-c1 not found\n')))
    .api('originate', record((arg) => originate(arg)))
    .api('uuid_kill', record((arg) => (arg.startsWith('gone') ? '-ERR No such channel!\n' : '+OK\n')));
  client = clientFor(peer);
  await client.connect();
});
afterEach(async () => {
  await client.close();
  await peer.close();
});

describe('EslTransferControl commands', () => {
  it('consult: finds the agent leg, marks both legs, moves them together, holds the caller once it has joined', async () => {
    const control = new EslTransferControl(client, { profile: 'hotline', retryMs: 5 });
    expect(await control.enterConference(legs)).toEqual({ agentUuid: 'agent-1' });
    const deafs = sent.filter((s) => s.includes(' deaf '));
    expect(deafs.length).toBeGreaterThan(1); // retried until the caller was in the conference
    expect([...new Set(sent)]).toEqual([
      'uuid_getvar caller-1 bridge_to',
      'uuid_setvar_multi caller-1 hotline_leg=caller;hotline_call=c1;hangup_after_conference=false;conference_member_flags=endconf|mintwo',
      'uuid_setvar_multi agent-1 hotline_leg=agent;hotline_call=c1',
      'uuid_transfer caller-1 -both conference:hotline-c1@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline',
      'conference hotline-c1 deaf hotline_leg=caller',
      'conference hotline-c1 hold hotline_leg=caller local_stream://moh',
    ]);
  });

  it('a caller that never joins fails the consult', async () => {
    const control = new EslTransferControl(client, { joinTimeoutMs: 60, retryMs: 10 });
    peer.api('uuid_transfer', () => '+OK\n');
    await expect(control.enterConference({ ...legs, agentUuid: 'agent-1' })).rejects.toThrow(/not found/);
  });

  it('three-way, cancel, complete', async () => {
    const control = new EslTransferControl(client);
    await control.unholdCaller(legs);
    await control.hangup('target-9', 'NORMAL_CLEARING');
    await control.hangup('gone-1', 'NORMAL_CLEARING'); // already hung up: fine
    expect(sent).toEqual([
      'conference hotline-c1 unhold hotline_leg=caller',
      'conference hotline-c1 undeaf hotline_leg=caller',
      'uuid_kill target-9 NORMAL_CLEARING',
      'uuid_kill gone-1 NORMAL_CLEARING',
    ]);
  });

  it('release: re-parks the caller with the long bound and returns once it is in that park', async () => {
    const control = new EslTransferControl(client, { retryMs: 5 });
    await control.releaseCaller(legs);
    const transfer = sent[0] ?? '';
    const token = /hotline_parked=([0-9a-f-]{36}),/.exec(transfer)?.[1];
    expect(transfer).toBe(`uuid_transfer caller-1 set:park_timeout=300:NORMAL_CLEARING,set:hotline_parked=${token},park inline`);
    expect(sent.slice(1).every((c) => c === 'uuid_getvar caller-1 hotline_parked')).toBe(true);
    expect(sent.length).toBeGreaterThan(2); // polled until the park was reached
    expect(parked).toBe(token);
  });

  it('release: a caller already gone is fine; one that never parks is an error', async () => {
    await new EslTransferControl(client).releaseCaller({ ...legs, callerUuid: 'gone-2' });
    parkDelayMs = 10_000;
    await expect(new EslTransferControl(client, { joinTimeoutMs: 60, retryMs: 5 }).releaseCaller(legs)).rejects.toThrow(/not parked/);
  });

  it('dials the target into the conference with our uuid and ring time; maps failures', async () => {
    const control = new EslTransferControl(client, { profile: 'hotline' });
    const ok = control.dialTarget(legs, { legId: 'c1-t1', dial: '{sip_h_X-Line=12366}sofia/gateway/tax/12366', ringSeconds: 25, callerIdNumber: '12345' });
    expect(await ok.outcome).toEqual({ kind: 'answered' });
    expect(sent.at(-1)).toBe(`originate {origination_uuid=${ok.uuid},hotline_leg=target,hotline_call=c1,hotline_transfer_leg=c1-t1,originate_timeout=25,leg_timeout=25,ignore_early_media=true,origination_caller_id_number=12345,sip_h_X-Line=12366}sofia/gateway/tax/12366 &conference(hotline-c1@hotline)`);
    for (const [reply, outcome] of [['-ERR NO_ANSWER\n', 'no-answer'], ['-ERR USER_BUSY\n', 'busy'], ['-ERR DESTINATION_OUT_OF_ORDER\n', 'unreachable']] as const) {
      originate = () => reply;
      expect(await control.dialTarget(legs, { legId: 'x', dial: 'user/1', ringSeconds: 5, callerIdNumber: undefined }).outcome).toMatchObject({ kind: outcome });
    }
  });

  it('refuses values FreeSWITCH would split on', () => {
    expect(() => originateArg({ origination_caller_id_number: '123,456' }, 'user/1')).toThrow(/split/);
  });

  it('reports CHANNEL_HANGUP of any channel', async () => {
    const control = new EslTransferControl(client);
    const seen: string[] = [];
    const off = control.onHangup((uuid, cause) => seen.push(`${uuid} ${cause}`));
    peer.fire('CHANNEL_HANGUP', [['Unique-ID', 'target-1'], ['Hangup-Cause', 'NORMAL_CLEARING']]);
    peer.fire('CHANNEL_ANSWER', [['Unique-ID', 'target-2']]);
    await new Promise((r) => setTimeout(r, 50));
    off();
    peer.fire('CHANNEL_HANGUP', [['Unique-ID', 'target-3'], ['Hangup-Cause', 'NORMAL_CLEARING']]);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual(['target-1 NORMAL_CLEARING']);
  });
});

describe('a whole transfer over ESL', () => {
  it('no answer from the sub-center: caller back to the agent, work order raised', async () => {
    let release!: () => void;
    const ringing = new Promise<void>((r) => { release = r; });
    originate = async () => { await ringing; return '-ERR NO_ANSWER\n'; };
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1', callerUuid: 'caller-1', agentUuid: 'agent-1' });
    const orders = new FakeWorkOrders();
    const svc = new TransferService({
      directory: buildTransferDirectory(transferRegistry()), control: new EslTransferControl(client, { retryMs: 5 }), calls,
      workOrders: orders, metrics: new TransferCounters(), clock: { now: () => shanghai('2026-03-03 10:00') }, logger: createLogger({ level: 'silent' }),
    });
    expect((await svc.start('c1', '12366')).phase).toBe('consulting');
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(svc.view('c1').phase).toBe('idle');
    expect(orders.orders).toEqual([expect.objectContaining({ callSid: 'c1', target: '12366', reason: 'no-answer', cause: 'NO_ANSWER' })]);
    expect(sent.slice(-2)).toEqual(['conference hotline-c1 unhold hotline_leg=caller', 'conference hotline-c1 undeaf hotline_leg=caller']);
    svc.close();
  });
});
