/**
 * A local webhook receiver (node:http on 127.0.0.1) for outbox tests: it can be really down
 * (not listening: connection refused), answer with an error, or accept. Every request is kept
 * with its raw body, headers and the status it got.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  readonly status: number;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** status to answer a request with (default 200) */
  answer: (path: string, body: string, headers: IncomingHttpHeaders) => number = () => 200;
  private server: Server | undefined;
  private port = 0;

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Listens (on the same port as before, after the first time). */
  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = this.answer(req.url ?? '', body, req.headers);
        this.received.push({ path: req.url ?? '', body, headers: req.headers, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => { resolve(); });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts open connections: senders get connection refused / reset. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  }

  /** Requests answered 2xx, per idempotency key. */
  accepted(): Received[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }
}
