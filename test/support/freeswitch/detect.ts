/**
 * Where FreeSWITCH is installed, if at all. FREESWITCH_BIN wins; otherwise the /opt/freeswitch
 * build these machines carry. The stock configuration lives at <prefix>/etc/freeswitch
 * (what `make install` puts there), derived from the binary's path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FreeswitchInstall {
  readonly bin: string;
  readonly prefix: string;
  readonly stockConf: string;
}

const DEFAULT_BIN = '/opt/freeswitch/bin/freeswitch';

export function detectFreeswitch(env: NodeJS.ProcessEnv = process.env): FreeswitchInstall | undefined {
  const bin = env.FREESWITCH_BIN !== undefined && env.FREESWITCH_BIN !== '' ? env.FREESWITCH_BIN : DEFAULT_BIN;
  if (!existsSync(bin)) return undefined;
  const prefix = dirname(dirname(bin));
  const stockConf = join(prefix, 'etc/freeswitch');
  if (!existsSync(join(stockConf, 'vars.xml'))) return undefined;
  return { bin, prefix, stockConf };
}

export function sippBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.SIPP_BIN, '/usr/bin/sipp', '/usr/local/bin/sipp'];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/**
 * What an e2e suite needs, or why it is skipped. Prints the reason once per suite file so a
 * skipped run says so in the output rather than passing silently.
 */
export function e2eRequirements(suite: string): { install: FreeswitchInstall | undefined; sipp: string | undefined; skip: boolean } {
  const install = detectFreeswitch();
  const sipp = sippBin();
  if (install === undefined) console.log(`${suite}: skipped: FreeSWITCH not installed (set FREESWITCH_BIN)`);
  else if (sipp === undefined) console.log(`${suite}: skipped: sipp not installed (apt-get install sip-tester, or set SIPP_BIN)`);
  else if (!existsSync('dist/cli.js')) console.log(`${suite}: skipped: router not built (npm run build)`);
  return { install, sipp, skip: install === undefined || sipp === undefined || !existsSync('dist/cli.js') };
}
