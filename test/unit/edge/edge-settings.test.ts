import { describe, expect, it } from 'vitest';
import { edgeSettingsFromEnv } from '../../../src/settings/edge-settings.js';

describe('edgeSettingsFromEnv', () => {
  it('has loopback defaults and needs only the drachtio secret', () => {
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 's3cret-of-ours' })).toEqual({
      registryPath: 'config/hotline.example.yaml', logLevel: 'info', devMode: false,
      drachtioHost: '127.0.0.1', drachtioPort: 9022, drachtioSecret: 's3cret-of-ours',
      httpHost: '127.0.0.1', httpPort: 8090, inviteTimeoutMs: 2000, keepAliveMs: 5000, drainSeconds: 60, drainNodes: [],
    });
  });

  it('refuses a missing secret, and the stock one outside development', () => {
    expect(() => edgeSettingsFromEnv({})).toThrow(/DRACHTIO_SECRET \(the secret of drachtio.conf.xml\)/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'cymru' })).toThrow(/stock "cymru"/);
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 'cymru', HOTLINE_DEV: '1' }).drachtioSecret).toBe('cymru');
  });

  it('reads the drained nodes and refuses timings out of range', () => {
    expect(edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_DRAIN_NODES: 'fs-a, fs-b,' }).drainNodes).toEqual(['fs-a', 'fs-b']);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', EDGE_INVITE_TIMEOUT_MS: '50' })).toThrow(/inviteTimeoutMs/);
    expect(() => edgeSettingsFromEnv({ DRACHTIO_SECRET: 'x', DRACHTIO_PORT: 'abc' })).toThrow('DRACHTIO_PORT=abc: expected a whole number');
  });
});
