/**
 * A real drachtio-server for a suite or a bench: found by DRACHTIO_BIN or on the PATH, started on
 * free ports from a throwaway drachtio.conf.xml (SIP on UDP loopback, the admin socket for the
 * edge), ready once its admin port takes a connection.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './freeswitch/ports.js';
import { spawnManaged, waitFor, type Managed } from './freeswitch/processes.js';

export function drachtioBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DRACHTIO_BIN !== undefined && env.DRACHTIO_BIN !== '') return existsSync(env.DRACHTIO_BIN) ? env.DRACHTIO_BIN : undefined;
  try {
    return execFileSync('which', ['drachtio'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface DrachtioServer {
  /** Its SIP address on 127.0.0.1 (UDP): what carriers and phones send to. */
  readonly sipPort: number;
  /** The admin socket the edge connects to, with its secret. */
  readonly adminPort: number;
  readonly secret: string;
  readonly process: Managed;
  stop(): Promise<void>;
}

export async function startDrachtioServer(bin: string, work: string, secret: string): Promise<DrachtioServer> {
  const sipPort = await freePort();
  const adminPort = await freePort();
  const conf = join(work, 'drachtio.conf.xml');
  writeFileSync(conf, [
    '<drachtio>',
    `  <admin port="${adminPort}" secret="${secret}">127.0.0.1</admin>`,
    `  <sip><contacts><contact>sip:127.0.0.1:${sipPort};transport=udp</contact></contacts></sip>`,
    '  <logging><console/><loglevel>info</loglevel></logging>',
    '</drachtio>',
  ].join('\n'));
  const proc = spawnManaged(bin, ['-f', conf], { stdio: 'ignore' });
  try {
    await waitFor('drachtio-server admin port', async () => {
      const { connect } = await import('node:net');
      return new Promise<true | undefined>((resolve) => {
        const s = connect(adminPort, '127.0.0.1', () => { s.destroy(); resolve(true); });
        s.once('error', () => resolve(undefined));
      });
    }, 10_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { sipPort, adminPort, secret, process: proc, async stop() { await proc.stop(); } };
}
