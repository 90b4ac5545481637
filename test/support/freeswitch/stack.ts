/**
 * One suite's whole world: the e2e registry with the agents' sipp ports filled in, the dialplan
 * and prompts made by the real `hotline` binary, hold music, a FreeSWITCH and the router.
 * `stop()` takes all of it down and removes the temp dir; it is safe to call twice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FreeswitchInstall } from './detect.js';
import { startFreeswitch, type Freeswitch } from './instance.js';
import { freePort } from './ports.js';
import { prepareRouterMedia } from './router-media.js';
import { startRouter, type RouterProcess } from './router.js';

export const E2E_AGENTS = ['1001', '1002', '1003'] as const;
export type E2eAgent = (typeof E2E_AGENTS)[number];

export interface Stack {
  readonly work: string;
  readonly fs: Freeswitch;
  /** The router currently running (replaced by restartRouter). */
  router: RouterProcess;
  readonly agentPorts: Readonly<Record<E2eAgent, number>>;
  /** The sub-center seat's SIP port (`{{SEAT_PORT}}` in the registry: line 12366's dial string). */
  readonly seatPort: number;
  readonly promptsDir: string;
  readonly registryPath: string;
  readonly outboundPort: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly events?: readonly string[];
  /** Extra environment for the router (e.g. WORK_ORDER_URL / WORK_ORDER_SECRET). */
  readonly routerEnv?: Readonly<Record<string, string>>;
  /** FreeSWITCH's RTP port count (see FreeswitchOptions). */
  readonly rtpPorts?: number;
  /** A change to the registry text (ports filled in) before the dialplan is made and the router starts. */
  readonly registryEdit?: (text: string) => string;
}

export async function startStack(install: FreeswitchInstall, opts: StackOptions = {}): Promise<Stack> {
  const work = mkdtempSync(join(tmpdir(), 'hotline-e2e-'));
  let fs: Freeswitch | undefined;
  try {
    const agentPorts = Object.fromEntries(await Promise.all(E2E_AGENTS.map(async (a) => [a, await freePort()] as const))) as Record<E2eAgent, number>;
    const seatPort = await freePort();
    const registryPath = join(work, 'registry.yaml');
    const template = readFileSync(resolve('test/fixtures/e2e/registry.yaml'), 'utf8');
    const filled = template.replace(/\{\{AGENT_([0-9]+)_PORT\}\}/g, (_m, id: string) => String(agentPorts[id as E2eAgent]))
      .replace(/\{\{SEAT_PORT\}\}/g, String(seatPort));
    writeFileSync(registryPath, opts.registryEdit?.(filled) ?? filled);

    const outboundPort = await freePort();
    const { promptsDir, mohDir, dialplanXml } = prepareRouterMedia(work, registryPath, outboundPort, 60_000);

    fs = await startFreeswitch({ install, work, dialplanXml, mohDir, events: opts.events ?? [], ...(opts.rtpPorts === undefined ? {} : { rtpPorts: opts.rtpPorts }) });
    const router = await startRouter({
      work, registryPath, promptsDir, esl: { port: fs.ports.esl, password: fs.password }, outboundPort,
      ...(opts.routerEnv === undefined ? {} : { env: opts.routerEnv }),
    });
    const started = fs;
    const stack: Stack = {
      work, fs: started, router, agentPorts, seatPort, promptsDir, registryPath, outboundPort,
      async stop() {
        await stack.router.stop().catch(() => undefined);
        await started.stop().catch(() => undefined);
        if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
      },
    };
    return stack;
  } catch (err) {
    await fs?.stop().catch(() => undefined);
    if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
    throw err;
  }
}
