/** ESL_NODES: which FreeSWITCH nodes the router links, and a start refused when it names none. */
import { describe, expect, it } from 'vitest';
import { linkFreeswitch } from '../../../src/compose/freeswitch.js';
import type { CallManager } from '../../../src/app/call/manager.js';
import { createLogger } from '../../../src/lib/logger.js';
import { settingsFromEnv } from '../../../src/settings/settings.js';

describe('ESL_NODES', () => {
  it('defaults to ESL_HOST alone; `registry` follows the registry\'s nodes:; anything else is refused', () => {
    expect(settingsFromEnv({}).eslNodes).toBe('host');
    expect(settingsFromEnv({ ESL_NODES: '' }).eslNodes).toBe('host');
    expect(settingsFromEnv({ ESL_NODES: 'registry' }).eslNodes).toBe('registry');
    expect(() => settingsFromEnv({ ESL_NODES: 'all' })).toThrow(/eslNodes/);
  });

  it('ESL_NODES=registry with no nodes: in the registry refuses to start, before listening', async () => {
    const settings = settingsFromEnv({ ESL_NODES: 'registry', ESL_PASSWORD: 'secret-0123', OUTBOUND_PORT: '0' });
    const logger = createLogger({ level: 'silent' });
    await expect(linkFreeswitch(settings, {} as CallManager, logger, undefined)).rejects.toThrow(/ESL_NODES=registry: the registry lists no FreeSWITCH nodes/);
  });

  it('without ESL_NODES the registry\'s nodes are the edge\'s: one link, to ESL_HOST, health as it always was', async () => {
    const settings = settingsFromEnv({ ESL_PASSWORD: 'secret-0123', OUTBOUND_PORT: '0', ESL_HOST: '127.0.0.1', ESL_PORT: '1' });
    const logger = createLogger({ level: 'silent' });
    const link = await linkFreeswitch(settings, {} as CallManager, logger, [{ name: 'fs-a', sip: '10.0.0.11:5060', esl: '10.0.0.11:8021', maxSessions: 1000 }]);
    try {
      expect(link.links?.links.map((l) => l.target)).toEqual([{ name: 'freeswitch', host: '127.0.0.1', port: 1 }]);
      expect(link.health.map((h) => h.name)).toEqual(['outbound', 'freeswitch']);
      expect(link.health[1]?.check()).toMatchObject({ detail: expect.stringMatching(/^127\.0\.0\.1:1 / ) as unknown });
    } finally {
      await link.close();
    }
  });
});
