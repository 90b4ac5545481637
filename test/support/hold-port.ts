/** A loopback port kept taken by a listening server (to test what happens when a port is in use). */
import { createServer, type Server } from 'node:net';

export interface HeldPort { readonly port: number; readonly server: Server }

export function holdPort(): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (typeof addr === 'object' && addr !== null) resolve({ port: addr.port, server });
      else reject(new Error('no port'));
    });
  });
}
