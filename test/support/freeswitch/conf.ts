/**
 * A throwaway FreeSWITCH configuration for one suite: the installation's stock tree, the
 * project's freeswitch-conf/ laid over it exactly as freeswitch-conf/README.md says, then the
 * few changes a test box needs — loopback addresses, no STUN, free ports, a random ESL password.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Stock files that clash with freeswitch-conf/ (same SIP ports, same user ids): README's "remove" column. */
export const STOCK_CONFLICTS = [
  'sip_profiles/internal.xml', 'sip_profiles/internal-ipv6.xml', 'sip_profiles/external.xml',
  'sip_profiles/external-ipv6.xml', 'sip_profiles/external', 'directory/default/brian.xml',
  'directory/default/example.com.xml', 'directory/default/skinny-example.xml',
  ...Array.from({ length: 20 }, (_, i) => `directory/default/${1000 + i}.xml`),
];

export interface ConfPorts {
  readonly esl: number;
  readonly carrierSip: number;
  readonly agentsSip: number;
  readonly rtp: { readonly start: number; readonly end: number };
}

export interface ConfInput {
  readonly stockConf: string;
  /** The project's freeswitch-conf/ directory. */
  readonly projectConf: string;
  readonly dir: string;
  readonly ports: ConfPorts;
  readonly dialplanXml: string;
  /** Directory of 8 kHz WAVs for local_stream://moh. */
  readonly mohDir: string;
}

function edit(path: string, change: (text: string) => string): void {
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

function replaceOnce(text: string, from: string | RegExp, to: string, what: string): string {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`conf overlay: ${what} not found`);
  return out;
}

export function buildConf(input: ConfInput): void {
  const { dir, ports } = input;
  cpSync(input.stockConf, dir, { recursive: true });
  for (const path of STOCK_CONFLICTS) rmSync(join(dir, path), { recursive: true, force: true });
  cpSync(input.projectConf, dir, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  mkdirSync(join(dir, 'dialplan'), { recursive: true });
  writeFileSync(join(dir, 'dialplan/hotline.xml'), input.dialplanXml);

  edit(join(dir, 'autoload_configs/event_socket.conf.xml'),
    (t) => replaceOnce(t, 'name="listen-port" value="8021"', `name="listen-port" value="${ports.esl}"`, 'ESL listen-port'));
  // A private RTP range per suite: two FreeSWITCH instances on one box must not share ports.
  edit(join(dir, 'autoload_configs/switch.conf.xml'), (t) => replaceOnce(t, '</settings>',
    `  <param name="rtp-start-port" value="${ports.rtp.start}"/>\n    <param name="rtp-end-port" value="${ports.rtp.end}"/>\n  </settings>`,
    'switch.conf settings'));

  // No STUN lookups to the internet from a test; everything on loopback. Our include goes last
  // (README), followed by the suite's ports and paths, which must win over hotline-vars.xml.
  edit(join(dir, 'vars.xml'), (stock) => {
    const noStun = stock.replace(/<X-PRE-PROCESS cmd="stun-set" data="([a-z_]+)=[^"]*"\/>/g, '<X-PRE-PROCESS cmd="set" data="$1=127.0.0.1"/>');
    // local_ip_v4 first: the stock file derives domain and others from it as it goes.
    const start = noStun.indexOf('<include>') + '<include>'.length;
    const end = noStun.lastIndexOf('</include>');
    const first = ['local_ip_v4=127.0.0.1', 'default_password=e2e-not-1234']
      .map((v) => `  <X-PRE-PROCESS cmd="set" data="${v}"/>`);
    const after = [
      `hotline_carrier_sip_port=${ports.carrierSip}`,
      `hotline_agents_sip_port=${ports.agentsSip}`,
      'hotline_public_ip=127.0.0.1',
      `hotline_moh_dir=${input.mohDir}`,
    ].map((v) => `  <X-PRE-PROCESS cmd="set" data="${v}"/>`);
    return [
      noStun.slice(0, start),
      ...first,
      noStun.slice(start, end),
      '  <X-PRE-PROCESS cmd="include" data="hotline-vars.xml"/>',
      ...after,
      noStun.slice(end),
    ].join('\n');
  });
}
