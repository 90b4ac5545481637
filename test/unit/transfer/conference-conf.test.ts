/** freeswitch-conf's conference profile is the one the router names, and stays out of the way. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSFER_CONFERENCE_PROFILE } from '../../../src/compose/transfers.js';

const text = readFileSync('freeswitch-conf/autoload_configs/conference.conf.xml', 'utf8');
const body = text.replace(/<!--[\s\S]*?-->/g, '');
const profiles = [...body.matchAll(/<profile name="([^"]+)">([\s\S]*?)<\/profile>/g)];
const params = (xml: string): Record<string, string> =>
  Object.fromEntries([...xml.matchAll(/<param name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1] ?? '', m[2] ?? '']));

describe('conference.conf.xml', () => {
  it('defines the profile the router uses: no key bindings, no sounds, 8 kHz', () => {
    expect(profiles.map((p) => p[1])).toEqual([TRANSFER_CONFERENCE_PROFILE]);
    const p = params(profiles[0]?.[2] ?? '');
    expect(p).toMatchObject({ 'caller-controls': 'none', 'moderator-controls': 'none', rate: '8000', interval: '20' });
    expect(Object.keys(p).filter((k) => k.endsWith('-sound'))).toEqual([]);
  });
});
