/**
 * ./call-peer.ts in a child process of its own, driven over IPC (./call-peer-protocol.ts), so the
 * router's process carries only the router. Exits when the parent goes. Run with --expose-gc.
 */
import { CallPeer } from './call-peer.js';
import type { FromPeer, ToPeer } from './call-peer-protocol.js';

function send(msg: FromPeer): void {
  process.send?.(msg);
}

const peer = new CallPeer((b) => send({ type: 'bridge', uuid: b.uuid, arg: b.arg, t: b.t.toString() }));

process.on('message', (raw) => {
  const msg = raw as ToPeer;
  switch (msg.type) {
    case 'dial':
      void peer.dial(msg.host, msg.port, msg.destination, msg.count, msg.concurrency)
        .then((failed) => send({ type: 'dialed', id: msg.id, count: msg.count, failed }));
      return;
    case 'hangup':
      peer.hangup(msg.uuid);
      return;
    case 'hangup-all':
      void peer.hangupAll().then(() => send({ type: 'done', id: msg.id }));
      return;
    case 'gc':
      (globalThis as { gc?: (o: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
      send({ type: 'done', id: msg.id });
      return;
    case 'ping':
      send({ type: 'pong', id: msg.id, t: process.hrtime.bigint().toString() });
      return;
    case 'memory': {
      const m = process.memoryUsage();
      send({ type: 'memory', id: msg.id, rss: m.rss, heapUsed: m.heapUsed, calls: peer.size });
      return;
    }
  }
});
// The parent is gone (crashed, killed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
