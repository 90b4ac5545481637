import { describe, expect, it } from 'vitest';
import { callerLegSettings, multisetArg, settingsApplications } from '../../../src/dialplan/caller-leg.js';
import { settingsOf } from './parse-dialplan.js';

describe('multisetArg', () => {
  it('joins settings with the first delimiter no value contains, and FreeSWITCH\'s split gives them back', () => {
    const plain: [string, string][] = [['a', '1'], ['b', 'x=y']];
    expect(multisetArg(plain)).toBe('^^|a=1|b=x=y');
    const piped: [string, string][] = [['name', '甲|乙'], ['ringback', 'file_string://a.wav~b.wav']];
    const arg = multisetArg(piped) ?? '';
    expect(arg.startsWith('^^`')).toBe(true);
    expect(settingsOf([['multiset', arg]])).toEqual(piped);
  });

  it('gives up when every delimiter occurs in some value (the dialplan then writes a set each)', () => {
    expect(multisetArg([['a', '|~`;#']])).toBeUndefined();
    expect(settingsApplications([['a', '|~`;#'], ['b', '2']])).toEqual([['set', 'a=|~`;#'], ['set', 'b=2']]);
    expect(settingsApplications([['a', '1'], ['b', '2']])).toEqual([['multiset', '^^|a=1|b=2']]);
  });

  it('the caller leg\'s settings carry the ringback asked for', () => {
    expect(callerLegSettings('tone_stream://%(1000,4000,450)')).toContainEqual(['transfer_ringback', 'tone_stream://%(1000,4000,450)']);
    expect(callerLegSettings().map(([k]) => k)).toEqual(['hangup_after_bridge', 'park_after_bridge', 'continue_on_fail', 'playback_terminators', 'transfer_ringback']);
  });
});
