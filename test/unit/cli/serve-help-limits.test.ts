import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../../src/cli/serve.js';
import { LIMIT_ENV } from '../../../src/settings/limits.js';

describe('hotline serve --help', () => {
  it('names every bound setting and SIGHUP', () => {
    for (const name of Object.values(LIMIT_ENV)) expect(serveCommand.help).toContain(name);
    expect(serveCommand.help).toMatch(/SIGHUP reloads HOTLINE_TOKENS_FILE/);
  });
});
