/**
 * The router's two ESL ends with the default limits, alone in a process, for the flood test:
 * an outbound socket server (FreeSWITCH connects to it per call) and an inbound client (to the
 * port given as argv[2]). Over IPC it reports its port, then answers `sample` with its RSS as it
 * is and `rss` with its RSS after a full GC (run with --expose-gc), the pages V8's heap still
 * occupies, and the ESL protocol errors logged so far.
 */
import { getHeapStatistics } from 'node:v8';
import { InboundEslClient, OutboundEslServer, type EslLogger } from '../../src/adapters/esl/index.js';

const protocolErrors: { handshake: boolean; message: string }[] = [];
const log: EslLogger = {
  debug: () => undefined, info: () => undefined, warn: () => undefined,
  error: (obj, msg) => {
    if (msg !== 'ESL protocol error; dropping connection') return;
    const o = obj as { handshake?: boolean; err?: Error };
    protocolErrors.push({ handshake: o.handshake === true, message: o.err?.message ?? '' });
  },
};

const server = new OutboundEslServer({
  logger: log,
  linger: false,
  handshakeTimeoutMs: 30_000,
  // Holds the call until its socket closes, as a call in progress does.
  handler: (channel) => new Promise<void>((resolve) => { channel.once('close', () => resolve()); }),
});
const { port } = await server.listen();
const client = new InboundEslClient({
  host: '127.0.0.1', port: Number(process.argv[2]), password: 'flood-test-password', logger: log,
  heartbeatIntervalMs: 0, backoff: { initialMs: 100, maxMs: 500 }, connectTimeoutMs: 30_000,
});
client.connect().catch(() => undefined);

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m) => {
  if (m === 'sample') {
    process.send?.({ rss: process.memoryUsage().rss });
  } else if (m === 'rss') {
    gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    process.send?.({ rss, v8Heap: getHeapStatistics().total_physical_size, held: heapUsed + external, protocolErrors, inbound: client.state, calls: server.activeChannels });
  } else if (m === 'stop') {
    void Promise.all([server.close(), client.close()]).then(() => process.exit(0));
  }
});
process.send?.({ port });
