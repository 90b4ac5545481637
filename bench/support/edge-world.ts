/**
 * The edge bench's world: one real FreeSWITCH whose carrier dialplan answers the bench line,
 * plays `talkSeconds` of tone and hangs up (no router: what is compared is the SIP path, not the
 * ACD); a real drachtio-server; and `hotline edge` as its own process (as deployed), whose
 * registry has one trunk (127.0.0.1, caps far above any bench rate) and that FreeSWITCH as its
 * only node. Callers reach the same dialplan either at FreeSWITCH's carrier port (direct) or at
 * drachtio-server's SIP port (through the edge).
 */
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDrachtioServer, type DrachtioServer } from '../../test/support/drachtio.js';
import type { FreeswitchInstall } from '../../test/support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../../test/support/freeswitch/instance.js';
import { freePort } from '../../test/support/freeswitch/ports.js';
import { spawnManaged, waitFor, type Managed } from '../../test/support/freeswitch/processes.js';
import { toneWav } from '../../test/support/freeswitch/prompts.js';
import { minimalWith } from '../../test/unit/config/registry-fixtures.js';

/** A dual legacy line: the edge classifies it with route() and hands it on as X-Hotline-Line. */
export const EDGE_BENCH_LINE = '12328';
const SECRET = 'edge-bench-secret';
const TOKEN = 'edge-bench-admin-token-0123456789abcdef';

export interface EdgeWorld {
  readonly work: string;
  readonly fs: Freeswitch;
  readonly drachtio: DrachtioServer;
  readonly edge: Managed;
  /** One of the edge's counters (its /metrics), e.g. hotline_edge_connected_total: per label set, and the sum. */
  edgeCounter(name: string): Promise<{ readonly sum: number; readonly byLabels: ReadonlyMap<string, number> }>;
  stop(): Promise<void>;
}

function dialplan(toneFile: string): string {
  return [
    '<include>',
    '<context name="hotline">',
    '  <extension name="edge-bench">',
    `    <condition field="destination_number" expression="^${EDGE_BENCH_LINE}$">`,
    '      <action application="answer"/>',
    `      <action application="playback" data="${toneFile}"/>`,
    '      <action application="hangup"/>',
    '    </condition>',
    '  </extension>',
    '</context>',
    '</include>',
    '',
  ].join('\n');
}

/** Caps far above what the bench offers: what is measured is the path, not the edge's protection. */
function registryText(fsSipPort: number): string {
  return minimalWith((r) => {
    r.trunks = [{
      name: 'bench-carrier', sources: ['127.0.0.1'], calledNumberFrom: ['request-uri'], stripPrefixes: [],
      maxCallsPerSecond: 1_000, maxConcurrentCalls: 10_000,
    }];
    r.nodes = [{ name: 'fs-bench', sip: `127.0.0.1:${fsSipPort}`, esl: '127.0.0.1:8021', maxSessions: 10_000 }];
  });
}

/** `maxSessions`: the calls at once the bench may make FreeSWITCH hold (its RTP ports are sized for them). */
export async function startEdgeWorld(install: FreeswitchInstall, drachtioBin: string, talkSeconds: number, maxSessions: number): Promise<EdgeWorld> {
  const work = mkdtempSync(join(tmpdir(), 'hotline-edgebench-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  const undo = async (): Promise<void> => { for (const c of cleanups.reverse()) await c().catch(() => undefined); };
  try {
    const toneFile = join(work, 'talk.wav');
    toneWav(toneFile, talkSeconds, 500);
    const mohDir = join(work, 'moh');
    mkdirSync(mohDir);
    toneWav(join(mohDir, 'moh.wav'), 2, 400);
    const fs = await startFreeswitch({ install, work, dialplanXml: dialplan(toneFile), mohDir, rtpPorts: 2 * maxSessions + 100 });
    cleanups.push(() => fs.stop());
    const drachtio = await startDrachtioServer(drachtioBin, work, SECRET);
    cleanups.push(() => drachtio.stop());

    const registryPath = join(work, 'registry.yaml');
    writeFileSync(registryPath, registryText(fs.ports.carrierSip));
    const tokensFile = join(work, 'tokens.yaml');
    writeFileSync(tokensFile, `- { token: "${TOKEN}", role: admin, name: bench }\n`);
    const httpPort = await freePort();
    const log = openSync(join(work, 'edge.log'), 'a');
    const edge = spawnManaged(process.execPath, [resolve('bin/hotline.js'), 'edge'], {
      stdio: ['ignore', log, log],
      env: {
        ...process.env, HOTLINE_REGISTRY: registryPath, HOTLINE_TOKENS_FILE: tokensFile, DRACHTIO_PORT: String(drachtio.adminPort), DRACHTIO_SECRET: SECRET,
        EDGE_HTTP_PORT: String(httpPort), EDGE_KEEPALIVE_MS: '1000', EDGE_DRAIN_SECONDS: '0', LOG_LEVEL: 'warn',
      },
    });
    cleanups.push(() => edge.stop(5_000));
    // A call placed before the edge's first OPTIONS answer would find no node up.
    await waitFor('the edge sees its FreeSWITCH node up', async () => {
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.json() as Promise<{ nodes?: { state: string }[] }>).catch(() => undefined);
      return health?.nodes?.[0]?.state === 'up' ? true : undefined;
    }, 20_000, 100);
    return {
      work, fs, drachtio, edge,
      async edgeCounter(name) {
        const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.text());
        const byLabels = new Map(text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
          .map((l) => [l.slice(name.length, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const));
        return { sum: [...byLabels.values()].reduce((a, b) => a + b, 0), byLabels };
      },
      async stop() {
        await undo();
        if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await undo();
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}
