import { describe, expect, it } from 'vitest';
import { edgeSettingsFromEnv } from '../../../src/settings/edge-settings.js';

describe('edgeSettingsFromEnv', () => {
  it('has loopback defaults and needs only the drachtio secret', () => {
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 's3cret-of-ours' })).toEqual({
      registryPath: 'config/hotline.example.yaml', logLevel: 'info', devMode: false,
      drachtioHost: '127.0.0.1', drachtioPort: 9022, drachtioSecret: 's3cret-of-ours',
      httpHost: '127.0.0.1', httpPort: 8090, inviteTimeoutMs: 2000, lastNodeTimeoutMs: 30_000, keepAliveMs: 5000, drainSeconds: 60, drainNodes: [],
      sipRealm: 'hotline', registerMinExpires: 60, registerMaxExpires: 3600, registersPerMinute: 60,
    });
  });

  it('reads the agents\' settings: secrets file, realm, expiry bounds, REGISTER rate, Redis, tokens file', () => {
    const s = edgeSettingsFromEnv({
      DRACHTIO_SECRET: 'x', EDGE_AGENT_SECRETS_FILE: '/etc/hotline/agents.yaml', EDGE_SIP_REALM: 'hotline.example.gov.cn',
      EDGE_REGISTER_MIN_EXPIRES: '120', EDGE_REGISTER_MAX_EXPIRES: '600', EDGE_REGISTERS_PER_MINUTE: '10',
      REDIS_URL: 'redis://127.0.0.1:6379', HOTLINE_TOKENS_FILE: '/etc/hotline/tokens.yaml',
    });
    expect(s).toMatchObject({
      agentSecretsFile: '/etc/hotline/agents.yaml', sipRealm: 'hotline.example.gov.cn', registerMinExpires: 120, registerMaxExpires: 600,
      registersPerMinute: 10, redisUrl: 'redis://127.0.0.1:6379', tokensFile: '/etc/hotline/tokens.yaml',
    });
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_REGISTER_MIN_EXPIRES: '900', EDGE_REGISTER_MAX_EXPIRES: '600' })).toThrow(/no phone could register/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_SIP_REALM: 'a realm"' })).toThrow(/sipRealm/);
  });

  it('refuses a missing secret, and the stock one outside development', () => {
    expect(() => edgeSettingsFromEnv({})).toThrow(/DRACHTIO_SECRET \(the secret of drachtio.conf.xml\)/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'cymru' })).toThrow(/stock "cymru"/);
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 'cymru', HOTLINE_DEV: '1' }).drachtioSecret).toBe('cymru');
  });

  it('reads the drained nodes and refuses timings out of range', () => {
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_DRAIN_NODES: 'fs-a, fs-b,' }).drainNodes).toEqual(['fs-a', 'fs-b']);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_INVITE_TIMEOUT_MS: '50' })).toThrow(/inviteTimeoutMs/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_INVITE_TIMEOUT_MS: '5000', EDGE_LAST_NODE_TIMEOUT_MS: '3000' })).toThrow(/sooner than any other/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', DRACHTIO_PORT: 'abc' })).toThrow('DRACHTIO_PORT=abc: expected a whole number');
  });
});
