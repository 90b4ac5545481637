/**
 * Optional: loads freeswitch-conf/ and the generated dialplan into a real FreeSWITCH (stock conf
 * copied to a temp dir, unusual ports) and asks it over ESL what it loaded. Skipped, saying so,
 * when FREESWITCH_BIN (default /opt/freeswitch/bin/freeswitch) does not exist.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDialplan } from '../../../src/dialplan/index.js';
import { freePort } from '../../support/redis-server.js';
import { exampleRegistry } from './parse-dialplan.js';

const bin = process.env.FREESWITCH_BIN ?? '/opt/freeswitch/bin/freeswitch';
const prefix = dirname(dirname(bin));
const stockConf = process.env.FREESWITCH_CONF ?? join(prefix, 'etc/freeswitch');
const fsCli = join(dirname(bin), 'fs_cli');
const present = existsSync(bin) && existsSync(join(stockConf, 'vars.xml')) && existsSync(fsCli);
if (!present) console.log('skipped: FreeSWITCH not installed (set FREESWITCH_BIN)');

const STOCK_CONFLICTS = [
  'sip_profiles/internal.xml', 'sip_profiles/internal-ipv6.xml', 'sip_profiles/external.xml',
  'sip_profiles/external-ipv6.xml', 'sip_profiles/external', 'directory/default/brian.xml',
  'directory/default/example.com.xml', 'directory/default/skinny-example.xml',
  ...Array.from({ length: 20 }, (_, i) => `directory/default/${1000 + i}.xml`),
];


const work = mkdtempSync(join(tmpdir(), 'hotline-fs-'));
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(work, { recursive: true, force: true });
}, 20_000);

describe.skipIf(!present)('the generated dialplan in a real FreeSWITCH', () => {
  it('starts with freeswitch-conf/, runs both SIP profiles and knows the hotline context', async () => {
    const conf = join(work, 'conf');
    cpSync(stockConf, conf, { recursive: true });
    for (const path of STOCK_CONFLICTS) rmSync(join(conf, path), { recursive: true, force: true });
    cpSync('freeswitch-conf', conf, { recursive: true, filter: (src) => !src.endsWith('README.md') });
    writeFileSync(join(conf, 'dialplan/hotline.xml'), generateDialplan(await exampleRegistry()).files[0]?.xml ?? '');

    const [esl, carrier, agents] = [await freePort(), await freePort(), await freePort()];
    const eslConf = join(conf, 'autoload_configs/event_socket.conf.xml');
    writeFileSync(eslConf, readFileSync(eslConf, 'utf8').replace('value="8021"', `value="${esl}"`));
    // No STUN lookups to the internet from a test; then our include and the test's ports.
    const vars = join(conf, 'vars.xml');
    const stock = readFileSync(vars, 'utf8').replace(/<X-PRE-PROCESS cmd="stun-set" data="([a-z_]+)=[^"]*"\/>/g, '<X-PRE-PROCESS cmd="set" data="$1=127.0.0.1"/>');
    const end = stock.lastIndexOf('</include>');
    writeFileSync(vars, `${stock.slice(0, end)}  <X-PRE-PROCESS cmd="include" data="hotline-vars.xml"/>
  <X-PRE-PROCESS cmd="set" data="hotline_carrier_sip_port=${carrier}"/>
  <X-PRE-PROCESS cmd="set" data="hotline_agents_sip_port=${agents}"/>
${stock.slice(end)}`);

    const dirs = Object.fromEntries(['log', 'db', 'run', 'temp', 'storage', 'cache', 'recordings', 'sounds'].map((d) => {
      mkdirSync(join(work, d), { recursive: true });
      return [d, join(work, d)];
    }));
    const args = ['-nonat', '-nf', '-nc', '-conf', conf, ...Object.entries(dirs).flatMap(([k, v]) => [`-${k}`, v])];
    child = spawn(bin, args, { env: { ...process.env, HOTLINE_ESL_PASSWORD: 'hotline-test' }, stdio: 'ignore' });

    const api = (command: string) =>
      spawnSync(fsCli, ['-H', '127.0.0.1', '-P', String(esl), '-p', 'hotline-test', '-x', command], { encoding: 'utf8', timeout: 10_000 });
    let status = api('status');
    for (let i = 0; i < 60 && (status.status !== 0 || !status.stdout.includes('UP')); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 500));
      status = api('status');
    }
    const logTail = existsSync(join(work, 'log', 'freeswitch.log')) ? readFileSync(join(work, 'log', 'freeswitch.log'), 'utf8').slice(-4000) : '(no log)';
    expect(status.stdout, logTail).toContain('UP');
    // switch.conf.xml's limits, as the router reads them (SHED_* marks).
    expect(status.stdout).toMatch(/^2000 session\(s\) max/m);
    expect(status.stdout).toMatch(/session\(s\) per Sec out of max 200,/);

    const dialplan = api('xml_locate dialplan context name hotline').stdout;
    for (const name of ['hotline-12345', 'hotline-12366', 'hotline-fallback']) expect(dialplan).toContain(name);
    expect(dialplan).not.toContain('hotline-110');
    expect(dialplan).toContain('hotline-edge-headers');
    // The edge-header guard's field, as FreeSWITCH expands it: acl answers per list, an unset sip_h_ is empty.
    expect(api('expand echo ${acl(192.0.2.50 hotline-edge)}|${sip_h_X-Hotline-Line}').stdout.trim()).toBe('true|');
    expect(api('expand echo ${acl(192.0.2.10 hotline-edge)}').stdout.trim()).toBe('false');
    expect(api('expand echo ${acl(192.0.2.10 no-such-list)}').stdout.trim()).toBe('false');
    expect(api('global_getvar hotline_inbound_acl').stdout.trim()).toBe('hotline-carrier');

    let sofia = api('sofia status').stdout;
    for (let i = 0; i < 20 && !(sofia.includes('hotline-carrier') && sofia.includes('hotline-agents')); i++) {
      await new Promise((r) => setTimeout(r, 500));
      sofia = api('sofia status').stdout;
    }
    expect(sofia).toMatch(/hotline-carrier\s+profile\s+\S+\s+RUNNING/);
    expect(sofia).toMatch(/hotline-agents\s+profile\s+\S+\s+RUNNING/);
    expect(api('sofia status gateway tax-subcenter').stdout).toContain('tax-subcenter');
  }, 90_000);
});
