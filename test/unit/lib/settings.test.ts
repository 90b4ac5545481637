import { describe, expect, it } from 'vitest';
import { SettingsError, settingsFromEnv } from '../../../src/settings/settings.js';

describe('settingsFromEnv', () => {
  it('has a safe embedded default: loopback, example registry, no Redis', () => {
    const s = settingsFromEnv({});
    expect(s).toMatchObject({ httpHost: '127.0.0.1', httpPort: 8080, eslHost: '127.0.0.1', devMode: false });
    expect(s.redisUrl).toBeUndefined();
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('reads HTTP_HOST, HTTP_PORT and REDIS_URL', () => {
    const s = settingsFromEnv({ HTTP_HOST: '0.0.0.0', HTTP_PORT: '9000', REDIS_URL: 'redis://127.0.0.1:6380' });
    expect(s).toMatchObject({ httpHost: '0.0.0.0', httpPort: 9000, redisUrl: 'redis://127.0.0.1:6380' });
  });

  it.each([
    [{ HTTP_PORT: 'eighty' }, /HTTP_PORT=eighty/],
    [{ HTTP_PORT: '70000' }, /httpPort/],
    [{ LOG_LEVEL: 'loud' }, /logLevel/],
    [{ REDIS_URL: 'localhost:6379' }, /redisUrl/],
    [{ SHED_FREESWITCH_SESSIONS_PERCENT: '120' }, /shedFreeswitchSessionsPercent/],
    [{ SHED_CALLS_PER_SECOND: 'fast' }, /SHED_CALLS_PER_SECOND=fast/],
    [{ SHED_EVENT_LOOP_DELAY_MS: '-1' }, /SHED_EVENT_LOOP_DELAY_MS=-1/],
  ])('refuses %o', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(message);
  });

  it('load shedding marks: defaults, explicit values, 0 to switch one off', () => {
    expect(settingsFromEnv({})).toMatchObject({ shedFreeswitchSessionsPercent: 90, shedCallsPerSecond: 'auto', shedEventLoopDelayMs: 500 });
    expect(settingsFromEnv({ SHED_FREESWITCH_SESSIONS_PERCENT: '0', SHED_CALLS_PER_SECOND: '40', SHED_EVENT_LOOP_DELAY_MS: '250' }))
      .toMatchObject({ shedFreeswitchSessionsPercent: 0, shedCallsPerSecond: 40, shedEventLoopDelayMs: 250 });
    expect(settingsFromEnv({ SHED_CALLS_PER_SECOND: 'auto' }).shedCallsPerSecond).toBe('auto');
  });

  it('refuses the stock ESL password outside dev mode, with a stable code', () => {
    let caught: unknown;
    try { settingsFromEnv({ ESL_PASSWORD: 'ClueCon' }); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as SettingsError).code).toBe('HOTLINE_ERR_SETTINGS');
    expect((caught as SettingsError).message).toMatch(/ClueCon/);
    expect(settingsFromEnv({ ESL_PASSWORD: 'ClueCon', HOTLINE_DEV: '1' }).eslPassword).toBe('ClueCon');
  });
});

describe('limit settings', () => {
  it('each has a default and is read from its variable', () => {
    const s = settingsFromEnv({});
    expect(s).toMatchObject({
      registryMaxBytes: 1024 * 1024, registryMaxAliases: 1000, registryMaxDepth: 64,
      eslMaxHeaderBytes: 1024 * 1024, eslMaxBodyBytes: 64 * 1024 * 1024, eslHandshakeMaxBytes: 1024 * 1024,
      httpBodyLimitBytes: 1024 * 1024, sseMaxClients: 256, sseMaxBacklogBytes: 1024 * 1024,
      webhookMaxResponseBytes: 64 * 1024, authMaxFailures: 20, authLockoutSeconds: 300,
    });
    expect(settingsFromEnv({ REGISTRY_MAX_BYTES: '2048', SSE_MAX_CLIENTS: '3', AUTH_MAX_FAILURES: '0' }))
      .toMatchObject({ registryMaxBytes: 2048, sseMaxClients: 3, authMaxFailures: 0 });
  });

  it.each([
    [{ REGISTRY_MAX_BYTES: '1mb' }, /REGISTRY_MAX_BYTES=1mb/],
    [{ SSE_MAX_CLIENTS: '0' }, /sseMaxClients/],
    [{ ESL_MAX_BODY_BYTES: '10' }, /eslMaxBodyBytes/],
    [{ AUTH_LOCKOUT_SECONDS: '0' }, /authLockoutSeconds/],
  ])('refuses %o', (env, message) => {
    expect(() => settingsFromEnv(env)).toThrow(message);
  });
});
