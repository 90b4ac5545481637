/**
 * The FreeSWITCH bench's one world: a single FreeSWITCH (the e2e instance: the project's conf,
 * free ports, -np) whose carrier dialplan sends 12345 to the real `hotline serve`, 22345 to
 * mod_callcenter (loaded after start with a throwaway callcenter.conf.xml) and 32345 to a
 * dialplan-only answer/playback/hang-up. Agents are user parts on one sipp port, shared by both
 * ACDs; `available(system, n)` makes the first n agents available to one of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FreeswitchInstall } from '../../../test/support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../../../test/support/freeswitch/instance.js';
import { freePort } from '../../../test/support/freeswitch/ports.js';
import { toneWav } from '../../../test/support/freeswitch/prompts.js';
import { prepareRouterMedia } from '../../../test/support/freeswitch/router-media.js';
import { startRouter, type RouterProcess } from '../../../test/support/freeswitch/router.js';
import { agentIds, benchDialplan, benchRegistry, callcenterConf, CALLCENTER_QUEUE } from './conf.js';
import { sleep } from '../child.js';

/** How long an agent a failed step left on a call may take to be free to log out. */
const LOGOUT_WAIT_MS = 60_000;

export type AcdSystem = 'router' | 'callcenter';

export interface BenchWorld {
  readonly work: string;
  readonly fs: Freeswitch;
  readonly router: RouterProcess;
  readonly agentPort: number;
  readonly outboundPort: number;
  readonly ids: readonly string[];
  available(system: AcdSystem, count: number): Promise<void>;
  stop(): Promise<void>;
}

/** `events`: what the bench's own inbound connection to FreeSWITCH also subscribes to (it costs FreeSWITCH their serialisation). */
export async function startWorld(install: FreeswitchInstall, agentCount: number, baselineSeconds: number, events: readonly string[] = []): Promise<BenchWorld> {
  const work = mkdtempSync(join(tmpdir(), 'hotline-fsbench-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const agentPort = await freePort();
    const ids = agentIds(agentCount);
    const registryPath = join(work, 'registry.yaml');
    writeFileSync(registryPath, benchRegistry(ids, agentPort));
    const baselineFile = join(work, 'baseline.wav');
    toneWav(baselineFile, baselineSeconds, 500);
    const outboundPort = await freePort();
    const media = prepareRouterMedia(work, registryPath, outboundPort, 300_000);
    const { promptsDir, mohDir } = media;
    const dialplanXml = benchDialplan(media.dialplanXml, baselineFile);

    // Each leg takes an RTP and an RTCP port: the e2e instance's 200 ran out near 10 calls/s
    // with agents (FreeSWITCH answered 488), which row 3 then reported as the rate limit.
    const fs = await startFreeswitch({ install, work, dialplanXml, mohDir, rtpPorts: 1500, events });
    cleanups.push(() => fs.stop());
    writeFileSync(join(work, 'conf/autoload_configs/callcenter.conf.xml'), callcenterConf(ids, agentPort));
    const loaded = await fs.api('load mod_callcenter');
    if (!loaded.startsWith('+OK')) throw new Error(`load mod_callcenter: ${loaded}`);

    const router = await startRouter({ work, registryPath, promptsDir, esl: { port: fs.ports.esl, password: fs.password }, outboundPort, env: { LOG_LEVEL: 'warn', ...(process.env.FS_BENCH_ROUTER_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.FS_BENCH_ROUTER_NODE_OPTIONS }) } });
    cleanups.push(() => router.stop());

    const routerState = new Map<string, string>();
    const setRouter = async (id: string, ready: boolean): Promise<void> => {
      const now = routerState.get(id) ?? 'logged-out';
      if (ready && now !== 'ready') {
        if (now === 'logged-out') await router.post(`/api/agents/${id}/login`);
        const status = await router.post(`/api/agents/${id}/ready`);
        if (status !== 200) throw new Error(`router agent ${id} ready: HTTP ${status}`);
        routerState.set(id, 'ready');
      } else if (!ready && now === 'ready') {
        // 409: still on a call a failed step left behind (its caller sipp interrupted); it ends.
        let status = await router.post(`/api/agents/${id}/logout`);
        for (let waited = 0; status === 409 && waited < LOGOUT_WAIT_MS; waited += 500) {
          await sleep(500);
          status = await router.post(`/api/agents/${id}/logout`);
        }
        if (status !== 200) throw new Error(`router agent ${id} logout: HTTP ${status}`);
        routerState.set(id, 'logged-out');
      }
    };
    const setCallcenter = async (id: string, on: boolean): Promise<void> => {
      const r = await fs.api(`callcenter_config agent set status ${id}@default '${on ? 'Available' : 'Logged Out'}'`);
      if (!r.startsWith('+OK')) throw new Error(`callcenter agent ${id}: ${r}`);
      if (on) await fs.api(`callcenter_config agent set state ${id}@default Waiting`);
    };
    const world: BenchWorld = {
      work, fs, router, agentPort, outboundPort, ids,
      async available(system, count) {
        for (const [i, id] of ids.entries()) {
          await setRouter(id, system === 'router' && i < count);
          await setCallcenter(id, system === 'callcenter' && i < count);
        }
      },
      async stop() {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
        if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
      },
    };
    return world;
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}

export { CALLCENTER_QUEUE };
