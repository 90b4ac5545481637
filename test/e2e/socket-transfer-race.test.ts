/**
 * A caller held by the router's `socket` (async full), bridged to an agent, moved by
 * `uuid_transfer <caller> -both conference:…` (the consult transfer) always reaches the conference.
 *
 * switch_ivr.c switch_ivr_session_transfer() sets CF_TRANSFER, which ends the park inside
 * socket_function(), before it sets CS_ROUTING; switch_core_standard_on_execute() running the
 * action after `socket` in between raced the transfer. With `transfer` there the fallback's
 * destination won now and then (1 in ~300 transfers on a loaded 2-core box), and the fallback hung
 * up the caller ~30 ms after the consult started. The dialplan's own action after `socket`
 * (AFTER_SOCKET_APPLICATION) is used here, in front of a fallback that hangs up like the real one.
 * Several callers are moved at once (bgapi: one thread each) so the threads contend as under load.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AFTER_SOCKET_APPLICATION } from '../../src/dialplan/generate.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../support/freeswitch/instance.js';
import { freePort } from '../support/freeswitch/ports.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { toneWav } from '../support/freeswitch/prompts.js';

const req = e2eRequirements('e2e socket transfer race');
const ROUNDS = 60;
const CALLERS = 4;

// <include> on lines of their own: FreeSWITCH's preprocessor drops those lines when including.
// Loopback callers and agents (loopback_bowout=false: the legs stay, as sofia legs would).
const dialplan = (port: number): string => `<include>
<context name="hotline">
  <extension name="race-caller"><condition field="destination_number" expression="^7100$">
    <action application="answer"/>
    <action application="set" data="hangup_after_bridge=false"/>
    <action application="set" data="continue_on_fail=true"/>
    <action application="socket" data="127.0.0.1:${port} async full"/>
    <action application="${AFTER_SOCKET_APPLICATION}" data="race-fallback XML hotline"/>
  </condition></extension>
  <extension name="race-agent"><condition field="destination_number" expression="^7200$">
    <action application="answer"/>
    <action application="park"/>
  </condition></extension>
  <extension name="race-fallback"><condition field="destination_number" expression="^race-fallback$">
    <action application="log" data="WARNING fallback after socket reached by \${uuid}"/>
    <action application="hangup" data="NORMAL_CLEARING"/>
  </condition></extension>
</context>
</include>
`;

/** The router's part: answer the outbound connection and bridge the caller to an agent. */
function socketServer(connected: string[], sockets: Socket[]): Server {
  return createServer((sock) => {
    sockets.push(sock);
    let head = '';
    sock.on('data', (d) => {
      head += d.toString('utf8');
      const uuid = /Unique-ID: ([0-9a-f-]+)/.exec(head)?.[1];
      if (uuid === undefined) return;
      head = '';
      sock.removeAllListeners('data');
      connected.push(uuid);
      sock.write('sendmsg\ncall-command: execute\nexecute-app-name: bridge\nexecute-app-arg: {loopback_bowout=false}loopback/7200/hotline\n\n');
    });
    sock.on('error', () => undefined);
    sock.write('connect\n\n');
  });
}

describe.skipIf(req.skip)('a caller in socket moved into a conference by uuid_transfer', () => {
  let work: string;
  let fs: Freeswitch | undefined;
  let server: Server | undefined;
  const sockets: Socket[] = [];
  const connected: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hotline-e2e-race-'));
    const mohDir = join(work, 'moh');
    mkdirSync(mohDir);
    toneWav(join(mohDir, 'hold.wav'), 3, 440);
    const port = await freePort();
    server = socketServer(connected, sockets);
    await new Promise<void>((r) => server?.listen(port, '127.0.0.1', r));
    fs = await startFreeswitch({ install: req.install!, work: join(work, 'fs'), dialplanXml: dialplan(port), mohDir, events: ['CHANNEL_BRIDGE'] });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    server?.close();
    await fs?.stop().catch(() => undefined);
    if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it(`${ROUNDS * CALLERS} consult transfers (${CALLERS} at once): every caller reaches its conference`, async () => {
    const f = fs!;
    const lost: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const seen = f.events.length;
      const first = connected.length;
      await Promise.all(Array.from({ length: CALLERS }, () => f.api('bgapi originate {loopback_bowout=false}loopback/7100/hotline &park')));
      const callers = await waitFor('callers on the socket', () => (connected.length >= first + CALLERS ? connected.slice(first, first + CALLERS) : undefined), 20_000);
      await waitFor('callers bridged', () => {
        const bridged = new Set(f.events.slice(seen).filter((e) => e.name === 'CHANNEL_BRIDGE').map((e) => e.headers['Unique-ID']));
        return callers.every((c) => bridged.has(c)) ? true : undefined;
      }, 20_000);
      const moved = f.events.length;
      const conf = (k: number): string => `race-${round}-${k}`;
      await Promise.all(callers.map((c, k) => f.api(`bgapi uuid_transfer ${c} -both conference:${conf(k)}@hotline,park inline`)));
      for (const [k, c] of callers.entries()) {
        const where = await waitFor(`caller ${c} in its conference or gone`, async () => {
          if (f.events.slice(moved).some((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === c)) return 'hung up';
          return (await f.api(`conference ${conf(k)} list`).catch(() => '')).includes(c) ? 'conference' : undefined;
        }, 10_000, 20);
        if (where !== 'conference') lost.push(c);
      }
      await f.api('hupall MANAGER_REQUEST');
      await waitFor('channels gone', async () => ((await f.api('show channels count')).includes('0 total') ? true : undefined), 10_000);
    }
    const log = f.log();
    expect(lost.map((c) => ({ c, fallback: log.includes(`fallback after socket reached by ${c}`) }))).toEqual([]);
  }, 600_000);
});
