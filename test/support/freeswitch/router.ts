/**
 * The router as production runs it: `node bin/hotline.js serve` (the built dist) as a child
 * process on free ports, pointed at the suite's FreeSWITCH. Its log goes to a file the test can
 * show when something fails.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { spawnManaged, waitFor, type Managed } from './processes.js';

export interface RouterOptions {
  readonly work: string;
  readonly registryPath: string;
  readonly promptsDir: string;
  readonly esl: { readonly port: number; readonly password: string };
  /** The outbound-socket port the dialplan was generated with. */
  readonly outboundPort: number;
  /** Extra environment for the router process. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface RouterResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface RouterProcess {
  readonly baseUrl: string;
  readonly process: Managed;
  get<T>(path: string): Promise<T>;
  /** A GET answered in text (e.g. /metrics). */
  getText(path: string): Promise<string>;
  post(path: string, body?: unknown): Promise<number>;
  /** A POST whose JSON answer the test reads (status and body, also on errors). */
  postJson<T = unknown>(path: string, body?: unknown): Promise<RouterResponse<T>>;
  logTail(chars?: number): string;
  stop(): Promise<void>;
}

export async function startRouter(opts: RouterOptions): Promise<RouterProcess> {
  const httpPort = await freePort();
  // An admin API token, for when the API demands one (HOTLINE_TOKENS_FILE); harmless otherwise.
  const token = randomBytes(24).toString('hex');
  const tokensFile = join(opts.work, `tokens-${httpPort}.json`);
  writeFileSync(tokensFile, JSON.stringify([{ token, name: 'e2e', role: 'admin' }]), { mode: 0o600 });
  const headers = { authorization: `Bearer ${token}` };
  const logFile = join(opts.work, `router-${httpPort}.log`);
  const out = openSync(logFile, 'a');
  const proc = spawnManaged(process.execPath, ['bin/hotline.js', 'serve'], {
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      HOTLINE_REGISTRY: opts.registryPath, HOTLINE_TOKENS_FILE: tokensFile,
      HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort),
      ESL_HOST: '127.0.0.1', ESL_PORT: String(opts.esl.port), ESL_PASSWORD: opts.esl.password,
      OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(opts.outboundPort),
      PROMPTS_DIR: opts.promptsDir, RECORDS_FILE: join(opts.work, 'records.db'),
      HOTLINE_DEV: '', DRAIN_SECONDS: '1', LOG_LEVEL: process.env.E2E_ROUTER_LOG_LEVEL ?? 'debug',
      ...opts.env,
    },
  });
  closeSync(out);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const logTail = (chars = 8_000): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-chars) : '(no log)');
  const stop = async (): Promise<void> => { await proc.stop(5_000); };
  try {
    // Healthy means the inbound ESL to FreeSWITCH is up too, not only that HTTP answers.
    await waitFor('router /health ok', async () => {
      if (proc.child.exitCode !== null) throw new Error(`router exited (${proc.child.exitCode})\n${logTail()}`);
      const res = await fetch(`${baseUrl}/health`, { headers });
      const body = await res.json() as { status: string; components: Record<string, { state: string }> };
      return res.ok && body.components.freeswitch?.state === 'ok' ? body : undefined;
    }, 20_000, 150);
  } catch (err) {
    await stop();
    throw new Error(`${String(err)}\n${logTail()}`, { cause: err });
  }
  return {
    baseUrl, process: proc, logTail, stop,
    async get<T>(path: string): Promise<T> {
      const res = await fetch(`${baseUrl}${path}`, { headers });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return await res.json() as T;
    },
    async getText(path: string): Promise<string> {
      const res = await fetch(`${baseUrl}${path}`, { headers });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.text();
    },
    async postJson<T = unknown>(path: string, body?: unknown): Promise<RouterResponse<T>> {
      const res = await fetch(`${baseUrl}${path}`, body === undefined
        ? { method: 'POST', headers }
        : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    async post(path: string, body?: unknown): Promise<number> {
      const res = await fetch(`${baseUrl}${path}`, body === undefined
        ? { method: 'POST', headers }
        : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    },
  };
}
