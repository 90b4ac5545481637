/**
 * docker-compose.yml as far as it can be checked without a Docker engine: valid by the Compose
 * Specification's schema, every file it mounts is in the repository, every variable it hands a
 * service is one that service reads, and nothing but SIP, RTP and the dashboards is published.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { interpolated, readCompose, withDefaults, type ComposeService } from './compose-file.js';

const root = (p: string): string => join(repoRoot, p);
const compose = readCompose(root('docker-compose.yml'));
const single = readCompose(root('docker-compose.single-node.yml'));
const services = compose.services;
const tmp = mkdtempSync(join(tmpdir(), 'hotline-compose-'));
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

/** What the router's source reads from its environment (settings, tokens, work orders, the edge…). */
function envReadBySource(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] ?? '');
        for (const m of src.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g)) names.add(m[1] ?? '');
        for (const m of src.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add(m[1] ?? '');
      }
    }
  };
  walk(root('src'));
  return names;
}

function bindSources(s: ComposeService): string[] {
  return (s.volumes ?? []).map((v) => withDefaults(v).split(':')[0] ?? '').filter((src) => src.startsWith('.') || src.startsWith('/'));
}

function published(s: ComposeService): { host: string; container: string; proto: string }[] {
  return (s.ports ?? []).map((p) => {
    const [spec = '', proto = 'tcp'] = withDefaults(p).split('/');
    const parts = spec.split(':');
    return { host: parts.slice(0, -1).join(':'), container: parts.at(-1) ?? '', proto };
  });
}

describe('docker-compose.yml', () => {
  it('is valid by the Compose Specification JSON schema (and so is the single-node override)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // Its $schema names draft-07 by an address ajv does not know by that spelling; draft-07 is ajv's own.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(root('test/fixtures/compose/compose-spec.json'), 'utf8')) as Record<string, unknown>;
    const validate = ajv.compile(schema);
    for (const file of ['docker-compose.yml', 'docker-compose.single-node.yml']) {
      const doc = parse(readFileSync(root(file), 'utf8'), { merge: true }) as unknown;
      expect(validate(doc), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // and the schema does reject a broken file, so the check above can fail
    expect(validate({ services: { router: { imag: 'hotline-router', healthcheck: { interval: 10 } } } })).toBe(false);
  });

  it('contains the whole center: router, edge, drachtio-server, FreeSWITCH, Redis, PostgreSQL, Prometheus, Grafana', () => {
    for (const name of ['router', 'edge', 'drachtio', 'freeswitch', 'redis', 'postgres', 'prometheus', 'grafana']) expect(services[name], name).toBeDefined();
    // FreeSWITCH from a published image, never built here.
    expect(services.freeswitch?.image).toMatch(/^\$\{FREESWITCH_IMAGE/);
    expect(JSON.stringify(services.freeswitch)).not.toContain('build');
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
  });

  it('mounts only files that are in the repository (the secrets are the operator\'s, under git-ignored secrets/)', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const src of bindSources(s)) expect(existsSync(root(src)), `${name} mounts ${src}`).toBe(true);
    }
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) expect(withDefaults(secret.file), name).toMatch(/^\.\/secrets\//);
    expect(readFileSync(root('.gitignore'), 'utf8').split('\n')).toContain('/secrets/');
  });

  it('hands the router and the edge only variables they read, and FreeSWITCH only what hotline-vars.xml reads', () => {
    const read = envReadBySource();
    for (const name of ['router', 'edge']) {
      const unknown = Object.keys(services[name]?.environment ?? {}).filter((k) => !read.has(k));
      expect(unknown, `${name} is given variables it never reads`).toEqual([]);
    }
    const vars = readFileSync(root('freeswitch-conf/hotline-vars.xml'), 'utf8');
    for (const k of Object.keys(services.freeswitch?.environment ?? {})) expect(vars, k).toContain(`=$${k}"`);
    // The router's ESL password is FreeSWITCH's.
    expect(services.router?.environment?.ESL_PASSWORD).toBe('${ESL_PASSWORD}');
    expect(services.freeswitch?.environment?.HOTLINE_ESL_PASSWORD).toMatch(/^\$\{ESL_PASSWORD/);
  });

  it('every variable it interpolates is in .env.example, and .env.example holds no secret value', () => {
    const example = readFileSync(root('.env.example'), 'utf8');
    const declared = new Map([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const used = new Set([...interpolated(readFileSync(root('docker-compose.yml'), 'utf8')), ...interpolated(readFileSync(root('docker-compose.single-node.yml'), 'utf8'))]);
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
    expect([...declared.keys()].filter((v) => !used.has(v))).toEqual([]);
    for (const [k, v] of declared) if (/PASSWORD|SECRET/.test(k)) expect(v, k).toBe('');
  });

  it('publishes no ESL, Redis, PostgreSQL, per-call socket or drachtio control port; the API and dashboards on loopback by default', () => {
    const inside = new Set(['8021', '6379', '5432', '8084', '9022']);
    for (const [name, s] of Object.entries({ ...services, ...single.services })) {
      for (const p of published(s)) expect(inside.has(p.container), `${name} publishes ${p.container}`).toBe(false);
    }
    for (const name of ['redis', 'postgres', 'router', 'edge', 'fs-conf', 'dialplan']) expect(services[name]?.ports, name).toBeUndefined();
    expect(compose.networks?.backend?.internal).toBe(true);
    for (const name of ['redis', 'postgres']) expect(services[name]?.networks).toEqual(['backend']);
    const http = published(services.freeswitch ?? {}).find((p) => p.container === '8080');
    expect(http?.host).toMatch(/^127\.0\.0\.1:/);
    for (const name of ['prometheus', 'grafana']) for (const p of published(services[name] ?? {})) expect(p.host, name).toMatch(/^127\.0\.0\.1:/);
    // The router shares FreeSWITCH's network namespace: ESL on loopback, as freeswitch-conf/ has it.
    expect(services.router?.network_mode).toBe('service:freeswitch');
    expect(services.router?.environment?.ESL_HOST).toBe('127.0.0.1');
    expect(readFileSync(root('freeswitch-conf/autoload_configs/event_socket.conf.xml'), 'utf8')).toContain('name="listen-ip" value="127.0.0.1"');
  });

  it('has a health check on every long-running service, named volumes for data, a drain-long stop for the router', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') continue;
      // the router: the image's HEALTHCHECK (GET /health)
      if (name === 'router') continue;
      expect(s.healthcheck?.test, name).toBeDefined();
    }
    expect(readFileSync(root('Dockerfile'), 'utf8')).toMatch(/^HEALTHCHECK /m);
    for (const v of ['redis-data', 'postgres-data', 'router-data', 'prometheus-data', 'grafana-data']) expect(compose.volumes).toHaveProperty(v);
    const grace = (services.router as { stop_grace_period?: string }).stop_grace_period;
    expect(Number(/^(\d+)s$/.exec(grace ?? '')?.[1])).toBeGreaterThan(Number(/:-(\d+)/.exec(services.router?.environment?.DRAIN_SECONDS ?? '')?.[1]));
  });

  it('the single-node override leaves the edge out and lets carriers and phones reach FreeSWITCH', () => {
    expect(single.services.drachtio?.profiles).toEqual(['edge']);
    expect(single.services.edge?.profiles).toEqual(['edge']);
    expect(published(single.services.freeswitch ?? {}).map((p) => `${p.container}/${p.proto}`).sort()).toEqual(['5060/tcp', '5060/udp', '5080/tcp', '5080/udp']);
  });

  it('the dialplan one-shot runs the real CLI with the arguments the stack gives it', () => {
    const cmd = services.dialplan?.command ?? [];
    const out = join(tmp, 'dialplan');
    const args = cmd.map((a) => (a === '/etc/hotline/registry.yaml' ? 'config/hotline.example.yaml' : a === '/target/dialplan' ? out : a));
    const r = runCli(args);
    expect(r.status, r.stderr).toBe(0);
    const xml = readFileSync(join(out, 'hotline.xml'), 'utf8');
    expect(xml).toContain('127.0.0.1:8084 async full');
    expect(xml).toContain('/hotline/prompts');
  });
});

describe('deploy/freeswitch/assemble-conf.sh (the fs-conf one-shot)', () => {
  it('is the README\'s install by hand: stock tree, minus the clashing stock files, plus freeswitch-conf/, vars included once', () => {
    const stock = join(tmp, 'stock');
    const target = join(tmp, 'target');
    for (const d of ['sip_profiles/external', 'directory/default', 'autoload_configs', 'dialplan']) mkdirSync(join(stock, d), { recursive: true });
    writeFileSync(join(stock, 'vars.xml'), '<include>\n  <X-PRE-PROCESS cmd="set" data="domain=$${local_ip_v4}"/>\n</include>\n');
    for (const f of ['sip_profiles/internal.xml', 'sip_profiles/external.xml', 'sip_profiles/external/example.xml', 'directory/default/1000.xml',
      'directory/default/1019.xml', 'directory/default/brian.xml', 'autoload_configs/event_socket.conf.xml', 'autoload_configs/logfile.conf.xml', 'dialplan/default.xml']) {
      writeFileSync(join(stock, f), '<stock/>');
    }
    mkdirSync(target);
    writeFileSync(join(target, 'left-over-from-last-start.xml'), 'x');
    const run = (): string => execFileSync('sh', [root('deploy/freeswitch/assemble-conf.sh')], {
      env: { PATH: process.env.PATH ?? '', FS_STOCK_CONF: stock, HOTLINE_FS_CONF: root('freeswitch-conf'), FS_TARGET: target }, encoding: 'utf8',
    });
    run();
    expect(run()).toMatch(/^fs-conf: assembled \d+ files/);
    for (const gone of ['sip_profiles/internal.xml', 'sip_profiles/external.xml', 'sip_profiles/external', 'directory/default/1000.xml', 'directory/default/1019.xml', 'directory/default/brian.xml', 'left-over-from-last-start.xml', 'README.md']) {
      expect(existsSync(join(target, gone)), gone).toBe(false);
    }
    for (const kept of ['autoload_configs/logfile.conf.xml', 'dialplan/default.xml', 'sip_profiles/hotline-carrier.xml', 'sip_profiles/hotline-agents.xml', 'hotline-vars.xml']) {
      expect(existsSync(join(target, kept)), kept).toBe(true);
    }
    expect(readFileSync(join(target, 'autoload_configs/event_socket.conf.xml'), 'utf8')).toBe(readFileSync(root('freeswitch-conf/autoload_configs/event_socket.conf.xml'), 'utf8'));
    const vars = readFileSync(join(target, 'vars.xml'), 'utf8');
    expect(vars.match(/data="hotline-vars.xml"/g)).toHaveLength(1);
    expect(vars.trimEnd().endsWith('<X-PRE-PROCESS cmd="include" data="hotline-vars.xml"/>\n</include>')).toBe(true);
  });

  it('refuses to run without a stock tree', () => {
    let err = '';
    try {
      execFileSync('sh', [root('deploy/freeswitch/assemble-conf.sh')], { env: { PATH: process.env.PATH ?? '', FS_STOCK_CONF: join(tmp, 'none'), FS_TARGET: tmp }, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
    }
    expect(err).toContain('no stock configuration');
  });
});
