/** Every bound setting has its row in the README's settings, with the default settingsFromEnv applies. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIMIT_ENV, type LimitSettings } from '../../../src/settings/limits.js';
import { settingsFromEnv } from '../../../src/settings/settings.js';

describe('README bounds table', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const defaults = settingsFromEnv({});
  it.each(Object.entries(LIMIT_ENV) as [keyof LimitSettings, string][])('%s (%s)', (key, name) => {
    const row = readme.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${name}\``));
    expect(row, name).toBeDefined();
    expect(row).toContain(String(defaults[key]));
  });
});
