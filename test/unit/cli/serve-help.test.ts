import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../../src/cli/serve.js';
import { settingsFromEnv } from '../../../src/settings/settings.js';

describe('hotline serve --help', () => {
  it('documents every load-shedding setting with the default settingsFromEnv applies', () => {
    const defaults = settingsFromEnv({});
    expect(serveCommand.help).toMatch(new RegExp(`SHED_FREESWITCH_SESSIONS_PERCENT[\\s\\S]*default ${defaults.shedFreeswitchSessionsPercent}\\)`));
    expect(serveCommand.help).toMatch(new RegExp(`SHED_CALLS_PER_SECOND[\\s\\S]*default ${defaults.shedCallsPerSecond}:`));
    expect(serveCommand.help).toMatch(new RegExp(`SHED_EVENT_LOOP_DELAY_MS[\\s\\S]*default ${defaults.shedEventLoopDelayMs}\\)`));
    expect(serveCommand.help).toMatch(/NEW calls are handed back to the dialplan/);
  });
});
