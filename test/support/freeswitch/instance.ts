/**
 * One real FreeSWITCH for a suite: throwaway conf, free ports, random ESL password, started with
 * -np (as root it would otherwise take real-time priority and starve a shared 2-core box), and an
 * inbound ESL client from the project's own adapter for `api` and events.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InboundEslClient, type FsEvent } from '../../../src/adapters/esl/index.js';
import type { FreeswitchInstall } from './detect.js';
import { buildConf, type ConfPorts } from './conf.js';
import { freePort, freeUdpRange } from './ports.js';
import { spawnManaged, waitFor, type Managed } from './processes.js';

export interface FreeswitchOptions {
  readonly install: FreeswitchInstall;
  /** A temp dir owned by the suite; conf, log, db and run go below it. */
  readonly work: string;
  readonly dialplanXml: string;
  readonly mohDir: string;
  /** Events the suite wants on its inbound connection (e.g. PLAYBACK_START). */
  readonly events?: readonly string[];
  /** Consecutive UDP ports for RTP (default 200: a suite's few calls); a load run needs two per session. */
  readonly rtpPorts?: number;
  /** The event socket's password (default: a random one); several nodes of one router share theirs. */
  readonly password?: string;
}

export interface Freeswitch {
  readonly ports: ConfPorts;
  readonly password: string;
  readonly esl: InboundEslClient;
  readonly process: Managed;
  api(command: string): Promise<string>;
  /** Events seen so far on the inbound connection (kept for assertions). */
  readonly events: FsEvent[];
  logTail(chars?: number): string;
  /** The whole FreeSWITCH log so far (the dialplan's `log` lines land there). */
  log(): string;
  stop(): Promise<void>;
}

const PROFILES = ['hotline-carrier', 'hotline-agents'];

export async function startFreeswitch(opts: FreeswitchOptions): Promise<Freeswitch> {
  const ports: ConfPorts = { esl: await freePort(), carrierSip: await freePort(), agentsSip: await freePort(), rtp: await freeUdpRange(opts.rtpPorts ?? 200) };
  // Not the stock ClueCon: the router refuses that outside dev mode, as it should in production.
  const password = opts.password ?? `e2e-${randomBytes(12).toString('hex')}`;
  const conf = join(opts.work, 'conf');
  buildConf({ stockConf: opts.install.stockConf, projectConf: resolve('freeswitch-conf'), dir: conf, ports, dialplanXml: opts.dialplanXml, mohDir: opts.mohDir });
  const dirs = Object.fromEntries(['log', 'db', 'run', 'temp', 'storage', 'cache', 'recordings', 'sounds'].map((d) => {
    mkdirSync(join(opts.work, d), { recursive: true });
    return [d, join(opts.work, d)];
  }));
  const args = ['-np', '-nonat', '-nf', '-nc', '-conf', conf, ...Object.entries(dirs).flatMap(([k, v]) => [`-${k}`, v])];
  const proc = spawnManaged(opts.install.bin, args, { env: { ...process.env, HOTLINE_ESL_PASSWORD: password } });
  const logFile = join(dirs.log ?? opts.work, 'freeswitch.log');
  const logTail = (chars = 6_000): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-chars) : '(no log yet)');

  const events: FsEvent[] = [];
  const esl = new InboundEslClient({
    host: '127.0.0.1', port: ports.esl, password, events: ['CHANNEL_HANGUP', ...(opts.events ?? [])],
    connectTimeoutMs: 2_000, commandTimeoutMs: 10_000, backoff: { initialMs: 100, maxMs: 500 },
  });
  esl.on('event', (e) => { events.push(e); });
  const stop = async (): Promise<void> => {
    await esl.close().catch(() => undefined);
    await proc.stop(10_000);
  };
  try {
    await Promise.race([
      esl.connect(),
      proc.exited.then((code) => { throw new Error(`freeswitch exited (${String(code)}) before ESL answered\n${logTail()}`); }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`ESL did not answer within 40 s\n${logTail()}`)), 40_000).unref()),
    ]);
    await waitFor('sofia profiles RUNNING', async () => {
      const status = await esl.api('sofia status');
      return PROFILES.every((p) => new RegExp(`${p}\\s+profile\\s+\\S+\\s+RUNNING`).test(status)) ? status : undefined;
    }, 20_000, 200);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, password, esl, process: proc, events, api: (c) => esl.api(c), logTail, log: () => logTail(Number.MAX_SAFE_INTEGER), stop };
}
