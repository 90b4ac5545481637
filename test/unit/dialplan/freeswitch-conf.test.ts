import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { assertWellFormed } from './parse-dialplan.js';

const root = 'freeswitch-conf';

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return xmlFiles(path);
    return name.endsWith('.xml') ? [path] : [];
  });
}

const files = xmlFiles(root);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

function params(file: string): Record<string, string> {
  const text = readFileSync(join(root, file), 'utf8');
  const pairs = [...text.matchAll(/<param name="([^"]+)" value="([^"]*)"\/>/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']);
  return Object.fromEntries(pairs);
}

describe('freeswitch-conf/', () => {
  it('has the files the README promises', () => {
    expect(files.map((f) => relative(root, f)).sort()).toEqual([
      'autoload_configs/acl.conf.xml', 'autoload_configs/conference.conf.xml', 'autoload_configs/event_socket.conf.xml', 'autoload_configs/local_stream.conf.xml',
      'autoload_configs/modules.conf.xml', 'autoload_configs/switch.conf.xml', 'dialplan/agents.xml', 'directory/default/hotline-agents.xml', 'hotline-vars.xml',
      'sip_profiles/hotline-agents.xml', 'sip_profiles/hotline-carrier.xml', 'sip_profiles/hotline-carrier/carrier.xml',
      'sip_profiles/hotline-carrier/power-subcenter.xml', 'sip_profiles/hotline-carrier/tax-subcenter.xml',
    ]);
  });

  it.each(files)('%s is well-formed and safe for the preprocessor', (file) => {
    const text = readFileSync(file, 'utf8');
    assertWellFormed(text);
    // FreeSWITCH runs X-PRE-PROCESS directives even inside comments, and drops lines holding
    // <include>, </include> or <? : keep directives out of comments and those tags on own lines.
    const comments = [...text.matchAll(/<!--[\s\S]*?-->/g)].map((m) => m[0]);
    for (const c of comments) expect(c).not.toMatch(/x-pre-process/i);
    for (const line of text.split('\n')) {
      if (/<include>|<\/include>|<\?/.test(line)) expect(line.trim()).toMatch(/^<\/?include>$/);
    }
  });

  it('binds inbound ESL to loopback with an ACL and the password variable', () => {
    expect(params('autoload_configs/event_socket.conf.xml')).toMatchObject({
      'listen-ip': '127.0.0.1', 'listen-port': '8021', password: '$${hotline_esl_password}', 'apply-inbound-acl': 'loopback.auto',
    });
    const vars = readFileSync(join(root, 'hotline-vars.xml'), 'utf8');
    expect(vars).toContain('<X-PRE-PROCESS cmd="env-set" data="hotline_esl_password=$HOTLINE_ESL_PASSWORD"/>');
  });

  it('raises the session limits for two-leg calls, and keeps them consistent with the router\'s auto calls/s mark', () => {
    const p = params('autoload_configs/switch.conf.xml');
    const maxSessions = Number(p['max-sessions']);
    const sps = Number(p['sessions-per-second']);
    // Stock: 1000 and 30 (15 two-leg calls/s). A hotline node takes a surge well past that.
    expect(maxSessions).toBeGreaterThanOrEqual(2000);
    expect(sps).toBeGreaterThanOrEqual(100);
    expect(sps % 2).toBe(0);
    // The e2e overlay appends the RTP ports before </settings>; the stock settings kept.
    expect(readFileSync(join(root, 'autoload_configs/switch.conf.xml'), 'utf8')).toContain('</settings>');
    expect(p).toMatchObject({ 'max-db-handles': '50', 'db-handle-timeout': '10', 'dump-cores': 'yes' });
  });

  it('loads exactly the modules the project needs', () => {
    const doc = parser.parse(readFileSync(join(root, 'autoload_configs/modules.conf.xml'), 'utf8')) as
      { configuration: { modules: { load: { module: string }[] } } };
    expect(doc.configuration.modules.load.map((l) => l.module)).toEqual([
      'mod_console', 'mod_logfile', 'mod_sofia', 'mod_loopback', 'mod_event_socket', 'mod_commands', 'mod_dptools',
      'mod_conference', 'mod_db', 'mod_hash', 'mod_expr', 'mod_dialplan_xml', 'mod_sndfile', 'mod_native_file',
      'mod_local_stream', 'mod_tone_stream', 'mod_say_en',
    ]);
  });

  it('delivers carrier calls to the hotline context and agents to theirs, G.711 and RFC 2833', () => {
    const carrier = params('sip_profiles/hotline-carrier.xml');
    const agents = params('sip_profiles/hotline-agents.xml');
    expect(carrier).toMatchObject({ context: 'hotline', 'auth-calls': 'false', 'apply-inbound-acl': '$${hotline_inbound_acl}' });
    const vars = readFileSync('freeswitch-conf/hotline-vars.xml', 'utf8');
    // The carriers' list unless the node sits behind the edge (then only the edge's).
    expect(vars).toContain('<X-PRE-PROCESS cmd="set" data="hotline_inbound_acl=hotline-carrier"/>');
    expect(vars).toContain('<X-PRE-PROCESS cmd="env-set" data="hotline_inbound_acl=$HOTLINE_INBOUND_ACL"/>');
    const acl = readFileSync('freeswitch-conf/autoload_configs/acl.conf.xml', 'utf8');
    for (const list of ['hotline-carrier', 'hotline-edge']) expect(acl).toContain(`<list name="${list}" default="deny">`);
    expect(agents).toMatchObject({ context: 'agents', 'auth-calls': 'true' });
    for (const p of [carrier, agents]) {
      expect(p).toMatchObject({ 'inbound-codec-prefs': 'PCMA,PCMU', 'dtmf-type': 'rfc2833', 'inbound-late-negotiation': 'true' });
    }
  });

  it('defines the gateways the example registry dials', () => {
    const registry = readFileSync('config/hotline.example.yaml', 'utf8');
    const used = new Set([...registry.matchAll(/sofia\/gateway\/([a-z0-9-]+)\//g)].map((m) => m[1]));
    const defined = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/<gateway name="([^"]+)">/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...defined].sort());
  });

  it('refuses empty agent passwords and keeps agents out of the hotline context', () => {
    const dir = readFileSync(join(root, 'directory/default/hotline-agents.xml'), 'utf8');
    const users = [...dir.matchAll(/<user id="(\d+)">/g)].map((m) => m[1]);
    expect(users).toHaveLength(32);
    expect(dir.match(/allow-empty-password" value="false"/g)).toHaveLength(32);
    expect(dir.match(/user_context" value="agents"/g)).toHaveLength(32);
  });
});
