/**
 * The transfer mechanism on a real FreeSWITCH (EslTransferControl + TransferService, without the
 * router's call sessions — transfer-router.test.ts drives the same through the whole router): a
 * sipp caller bridged to a sipp 12345 agent by a plain dialplan (hangup_after_bridge=false, so the
 * caller survives the bridge ending), a sipp sub-center seat, the project's `hotline` conference
 * profile. Consult → three-way → complete leaves caller and seat in the conference with the agent
 * gone; the seat hanging up hands the caller back (parked, still up).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EslTransferControl } from '../../src/adapters/esl/transfer-control.js';
import { WorkOrderOutbox, verify } from '../../src/adapters/webhook/index.js';
import { TransferCounters, TransferService, type WorkOrderSink } from '../../src/app/transfer/index.js';
import { buildTransferDirectory } from '../../src/core/transfer/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../support/freeswitch/instance.js';
import { freePort } from '../support/freeswitch/ports.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { toneWav } from '../support/freeswitch/prompts.js';
import { startSipp, untilListening, type SippHandle } from '../support/sipp/sipp.js';
import { FakeCalls, FakeWorkOrders } from '../unit/transfer/fake-ports.js';
import { transferRegistry } from '../unit/transfer/fixtures.js';

const req = e2eRequirements('e2e transfer');

// <include> on lines of their own: FreeSWITCH's preprocessor drops those lines when including.
const dialplan = (agentPort: number): string => `<include>
<context name="hotline">
  <extension name="xfer-e2e"><condition field="destination_number" expression="^7000$">
    <action application="answer"/>
    <action application="set" data="hangup_after_bridge=false"/>
    <action application="bridge" data="sofia/hotline-agents/sip:agent@127.0.0.1:${agentPort}"/>
  </condition></extension>
</context>
</include>
`;

describe.skipIf(req.skip)('three-party transfer through a real FreeSWITCH conference', () => {
  let work: string;
  let fs: Freeswitch | undefined;
  const sipps: SippHandle[] = [];
  let agentPort: number;
  let seatPort: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hotline-e2e-xfer-'));
    const mohDir = join(work, 'moh');
    mkdirSync(mohDir);
    toneWav(join(mohDir, 'hold.wav'), 3, 440);
    agentPort = await freePort();
    seatPort = await freePort();
    fs = await startFreeswitch({ install: req.install!, work, dialplanXml: dialplan(agentPort), mohDir, events: ['CHANNEL_BRIDGE'] });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(sipps.map((h) => h.kill()));
    await fs?.stop();
    if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 30_000);

  const sipp = async (label: string, port: number, talkMs: number): Promise<SippHandle> => {
    const h = await startSipp(req.sipp!, { scenario: 'agent-answers-talks-hangs-up.xml', vars: { TALK_MS: talkMs }, port, limitMs: 60_000, work, label });
    sipps.push(h);
    await untilListening(h, port);
    return h;
  };

  /** A caller bridged to the agent sipp; a TransferService whose sub-center 12366 rings the seat port. */
  async function bridgedCall(callSid: string, sink: WorkOrderSink, noAnswerSeconds = 30) {
    const f = fs!;
    await Promise.all(sipps.splice(0).map((h) => h.kill()));
    await sipp('agent', agentPort, 60_000);
    const seen = f.events.length;
    const caller = await startSipp(req.sipp!, {
      scenario: 'caller-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 50_000 }, dial: { number: '7000', host: '127.0.0.1', port: f.ports.carrierSip },
      limitMs: 60_000, work, label: 'caller',
    });
    sipps.push(caller);
    const bridge = await waitFor('caller bridged to the agent', () => f.events.slice(seen).find((e) => e.name === 'CHANNEL_BRIDGE'), 15_000);
    const callerUuid = bridge.headers['Unique-ID'] ?? '';
    const agentUuid = bridge.headers['Other-Leg-Unique-ID'] ?? '';
    const registry = transferRegistry();
    registry.lines = registry.lines.map((l) => (l.mode === 'subcenter'
      ? { ...l, subcenter: { ...l.subcenter, dial: `sofia/hotline-agents/sip:seat@127.0.0.1:${seatPort}`, schedule: '24x7', noAnswerSeconds } } : l));
    const calls = new FakeCalls();
    calls.add({ callSid, callerUuid, agentUuid: undefined, agentId: '1001' });
    const svc = new TransferService({
      directory: buildTransferDirectory(registry), control: new EslTransferControl(f.esl, { profile: 'hotline' }), calls, workOrders: sink,
      metrics: new TransferCounters(), clock: { now: () => Date.now() }, logger: createLogger({ level: 'silent' }),
    });
    const members = async (): Promise<Map<string, string>> => {
      const list = await f.api(`conference hotline-${callSid} list`).catch(() => '');
      return new Map(list.split('\n').filter((l) => l.includes(';')).map((l) => { const p = l.split(';'); return [p[2] ?? '', p[5] ?? '']; }));
    };
    return { f, caller, callerUuid, agentUuid, calls, svc, members };
  }

  it('consult → three-way → complete; the seat hanging up gives the caller back', async () => {
    const { f, caller, callerUuid, agentUuid, calls, svc, members } = await bridgedCall('e2e1', new FakeWorkOrders());
    await sipp('seat', seatPort, 6_000);

    await svc.start('e2e1', '12366');
    await waitFor('seat answered', () => (svc.view('e2e1').current?.answeredAt !== undefined ? true : undefined), 15_000);
    const consult = await waitFor('three members', async () => { const m = await members(); return m.size === 3 ? m : undefined; }, 10_000);
    expect(consult.get(callerUuid) ?? '').not.toMatch(/hear/); // on hold: deaf, music only
    expect(consult.get(agentUuid) ?? '').toMatch(/hear/);

    await svc.threeWay('e2e1');
    expect((await members()).get(callerUuid) ?? '').toMatch(/hear/);

    await svc.complete('e2e1');
    await waitFor('agent gone', async () => ((await f.api(`uuid_exists ${agentUuid}`)).trim() === 'false' ? true : undefined), 10_000);
    // The member leaves the conference a moment after its channel is gone.
    const after = await waitFor('two members', async () => { const m = await members(); return m.size === 2 ? m : undefined; }, 5_000);
    expect(after.has(callerUuid)).toBe(true);

    await waitFor('seat hung up, caller handed back', () => (calls.log.includes('conversation-over e2e1') ? true : undefined), 20_000);
    await waitFor('conference over', async () => ((await members()).size === 0 ? true : undefined), 5_000);
    expect((await f.api(`uuid_exists ${callerUuid}`)).trim()).toBe('true');
    expect(svc.finish('e2e1')).toEqual([expect.objectContaining({ target: '12366', outcome: 'completed' })]);
    await f.api(`uuid_kill ${callerUuid}`);
    const c = await caller.done;
    expect(c.code, c.log).toBe(0);
    svc.close();
  }, 90_000);

  it('the seat does not answer: caller back with the agent, a signed work order reaches the receiver', async () => {
    const got: { body: string; signature: string | undefined }[] = [];
    const receiver = createServer((r, res) => {
      let body = '';
      r.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      r.on('end', () => { got.push({ body, signature: r.headers['x-hotline-signature'] as string | undefined }); res.writeHead(204).end(); });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const outbox = new WorkOrderOutbox({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wo`, secret: 'e2e-secret-0123456789', timeoutMs: 2000, logger: createLogger({ level: 'silent' }),
    });
    try {
      // Nothing listens on the seat port: FreeSWITCH gives up after the 5 s ring time.
      const { f, caller, callerUuid, agentUuid, svc, members } = await bridgedCall('e2e2', outbox, 5);
      await svc.start('e2e2', '12366');
      await waitFor('transfer failed', () => (svc.view('e2e2').phase === 'idle' ? true : undefined), 30_000);
      const leg = svc.view('e2e2').legs[0];
      expect(['no-answer', 'unreachable']).toContain(leg?.outcome);
      const back = await members();
      expect(back.get(callerUuid) ?? '').toMatch(/hear/);
      expect(back.has(agentUuid)).toBe(true);
      await outbox.idle();
      expect(got).toHaveLength(1);
      expect(JSON.parse(got[0]!.body)).toMatchObject({ type: 'transfer-failed', callSid: 'e2e2', target: '12366', reason: leg?.outcome });
      expect(verify('e2e-secret-0123456789', got[0]!.body, got[0]!.signature)).toBe(true);
      svc.close();
      await f.api(`uuid_kill ${callerUuid}`);
      expect((await caller.done).code).toBe(0);
    } finally {
      outbox.close();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  }, 90_000);
});
