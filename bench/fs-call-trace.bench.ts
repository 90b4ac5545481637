/**
 * One call taken apart (issue 11): a caller dials 12345 with 20 idle agents; every SIP message
 * and every ESL segment (the call's outbound socket and the router's inbound connection) is
 * captured on loopback and printed as a timeline from the caller's INVITE, with the gap to the
 * line before. Gaps over 1 ms are what docs/freeswitch-bench.md explains.
 * FS_TRACE_MODE=freed instead: one agent who talks 1 s and hangs up, two callers; the timeline
 * starts at the agent's BYE and ends at the second caller's agent INVITE.
 * FS_TRACE_MODE=apps: one call to the router and one to mod_callcenter, an agent who talks 1 s and
 * hangs up, the router's survey left unanswered; prints every application FreeSWITCH ran on each leg (from CHANNEL_EXECUTE_COMPLETE, which the
 * bench's own inbound connection subscribes to in this mode only): each costs FreeSWITCH two
 * events with every channel variable, whoever listens.
 * Run: npm run bench -- fs-call-trace  (FS_TRACE_CALLS=3 for more calls, one after another)
 */
import { join } from 'node:path';
import type { FsEvent } from '../src/adapters/esl/codec/types.js';
import { detectFreeswitch, sippBin } from '../test/support/freeswitch/detect.js';
import { startCapture } from './support/fs-bench/capture.js';
import { CALLCENTER_NUMBER } from './support/fs-bench/conf.js';
import { untilIdle } from './support/fs-bench/rows.js';
import { runCallers, startAgentsUas } from './support/fs-bench/sipp-load.js';
import { startWorld, type BenchWorld } from './support/fs-bench/world.js';
import { describeCommands, describeReplies } from './support/fs-wire/esl-trace.js';
import { parseSip } from './support/fs-wire/sip.js';

const CALLS = Number(process.env.FS_TRACE_CALLS ?? '1');
const FREED = process.env.FS_TRACE_MODE === 'freed';
const APPS = process.env.FS_TRACE_MODE === 'apps';

/** The applications FreeSWITCH ran, per leg, in order. */
function printApplications(events: readonly FsEvent[]): void {
  const legs = new Map<string, { direction: string; apps: string[] }>();
  for (const e of events) {
    if (e.name !== 'CHANNEL_EXECUTE_COMPLETE' || e.uuid === undefined) continue;
    const leg = legs.get(e.uuid) ?? { direction: e.headers['Call-Direction'] ?? '?', apps: [] };
    leg.apps.push(e.headers['Application'] ?? '?');
    legs.set(e.uuid, leg);
  }
  let total = 0;
  for (const [uuid, leg] of legs) {
    total += leg.apps.length;
    console.log(`${leg.direction === 'inbound' ? 'caller' : 'agent '} ${uuid}: ${leg.apps.length} applications: ${leg.apps.join(' ')}`);
  }
  console.log(`total: ${total} applications, ${total * 2} CHANNEL_EXECUTE/_COMPLETE events`);
}

/** One call to each ACD, one after the other, the same agent scenario: the router (12345), then mod_callcenter (22345). */
async function countApplications(sipp: string, world: BenchWorld): Promise<void> {
  const uas = await startAgentsUas(sipp, world.work, world.agentPort, 'agent-answers-talks-hangs-up.xml', { TALK_MS: 1_000 }, 16);
  for (const [system, number] of [['router', '12345'], ['callcenter', CALLCENTER_NUMBER]] as const) {
    await world.available(system, 1);
    const seen = world.fs.events.length;
    await runCallers(sipp, world.work, {
      number, fsPort: world.fs.ports.carrierSip, rate: 1, count: 1, scenario: 'caller-waits-for-bye.xml',
      vars: { BYE_TIMEOUT_MS: 30_000 }, timeoutSeconds: 40, label: `apps-${system}`,
    });
    await untilIdle(world);
    console.log(`# ${system} (${number})`);
    printApplications(world.fs.events.slice(seen));
  }
  await uas.stop();
}

async function main(): Promise<void> {
  const install = detectFreeswitch();
  const sipp = sippBin();
  if (install === undefined || sipp === undefined) {
    console.log('fs-call-trace: skipped: FreeSWITCH or sipp not installed');
    return;
  }
  const world = await startWorld(install, 20, 5, APPS ? ['CHANNEL_EXECUTE_COMPLETE'] : []);
  try {
    if (APPS) {
      await countApplications(sipp, world);
      return;
    }
    await world.available('router', FREED ? 1 : 20);
    const uas = FREED
      ? await startAgentsUas(sipp, world.work, world.agentPort, 'agent-answers-talks-hangs-up.xml', { TALK_MS: 1_000 }, 16)
      : await startAgentsUas(sipp, world.work, world.agentPort, 'agent-waits-for-bye.xml', { BYE_TIMEOUT_MS: 30_000 }, 16);
    const { carrierSip, agentsSip, esl } = world.fs.ports;
    const cap = await startCapture(join(world.work, 'trace.pcap'), [carrierSip, agentsSip], [world.outboundPort, esl]);
    if (FREED) {
      await runCallers(sipp, world.work, {
        number: '12345', fsPort: carrierSip, rate: 50, count: 2, scenario: 'caller-waits-for-bye.xml',
        vars: { BYE_TIMEOUT_MS: 30_000 }, timeoutSeconds: 40, label: 'trace-freed',
      });
      await untilIdle(world);
    }
    for (let i = 0; i < (FREED ? 0 : CALLS); i += 1) {
      await runCallers(sipp, world.work, {
        number: '12345', fsPort: carrierSip, rate: 1, count: 1, scenario: 'caller-abandons.xml',
        vars: { HANGUP_AFTER_MS: 1_000, BYE_TIMEOUT_MS: 10_000 }, timeoutSeconds: 20, label: `trace-${i}`,
      });
      await untilIdle(world);
    }
    const packets = await cap.stop();
    await uas.stop();
    let t0 = 0;
    let prev = 0;
    for (const p of packets) {
      let what: string[];
      if (p.proto === 'udp') {
        const m = parseSip(p.payload, p.tsUs, p.srcPort, p.dstPort);
        if (m === undefined) continue;
        const side = p.dstPort === carrierSip || p.srcPort === carrierSip ? 'caller' : 'agent';
        const dir = p.dstPort === carrierSip || p.dstPort === agentsSip ? `${side}→FS` : `FS→${side}`;
        if (!FREED && m.method === 'INVITE' && side === 'caller' && dir === 'caller→FS') t0 = p.tsUs;
        if (FREED && t0 === 0 && m.method === 'BYE' && dir === 'agent→FS') t0 = p.tsUs;
        what = [`SIP ${dir} ${m.method ?? String(m.status)}${m.method === undefined ? ` (${m.cseqMethod})` : ''}`];
      } else {
        if (p.payload.length === 0) continue;
        const socket = p.srcPort === world.outboundPort || p.dstPort === world.outboundPort ? 'out' : 'in';
        const toFs = p.dstPort === esl || p.srcPort === world.outboundPort;
        what = (toFs ? describeCommands(p.payload.toString('latin1')) : describeReplies(p.payload.toString('utf8'))).map((d) => `ESL ${socket} ${toFs ? 'rtr→FS' : 'FS→rtr'} ${d}`);
        if (what.length === 0) continue;
      }
      if (t0 === 0) continue;
      const at = (p.tsUs - t0) / 1000;
      const gap = prev === 0 ? 0 : (p.tsUs - prev) / 1000;
      prev = p.tsUs;
      console.log(`${at.toFixed(3).padStart(9)} ms ${gap > 1 ? `+${gap.toFixed(1)}`.padStart(7) : ''.padStart(7)}  ${what.join(' | ')}`);
    }
  } finally {
    await world.stop();
  }
}

await main();
