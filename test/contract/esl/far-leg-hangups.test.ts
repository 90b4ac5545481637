import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../../../src/adapters/esl/codec/types.js';
import { FarLegHangups } from '../../../src/adapters/esl/far-leg-hangups.js';

/** `termStatus`: what sofia sets on a leg it hangs up itself (200 for a BYE received); undefined when the core hung it up. */
function hangup(uuid: string, termStatus: string | undefined, cause = 'NORMAL_CLEARING'): FsEvent {
  const headers: Record<string, string> = { 'Event-Name': 'CHANNEL_HANGUP', 'Unique-ID': uuid, 'Hangup-Cause': cause };
  if (termStatus !== undefined) headers['variable_sip_term_status'] = termStatus;
  return { name: 'CHANNEL_HANGUP', uuid, headers };
}

describe('FarLegHangups: an agent leg that hangs up by its own side', () => {
  it('ends the watch once, with the leg\'s cause, only when sofia ended the watched leg', () => {
    const legs = new FarLegHangups();
    const ends: string[] = [];
    legs.watch('agent-1', (cause) => ends.push(cause));

    legs.feed({ name: 'CHANNEL_ANSWER', uuid: 'agent-1', headers: { 'Unique-ID': 'agent-1', 'variable_sip_term_status': '200' } });
    legs.feed(hangup('agent-2', '200'));
    // FreeSWITCH's core hung the agent up (the caller left first): the caller's socket says so.
    legs.feed(hangup('agent-1', undefined));
    expect(ends).toEqual([]);
    expect(legs.size).toBe(1);

    legs.feed(hangup('agent-1', '200', 'USER_BUSY'));
    legs.feed(hangup('agent-1', '200'));
    expect(ends).toEqual(['USER_BUSY']);
    expect(legs.size).toBe(0);
  });

  it('unwatch forgets the leg, and an old unwatch leaves a newer watch of the same leg alone', () => {
    const legs = new FarLegHangups();
    const ends: string[] = [];
    const first = legs.watch('agent-1', () => ends.push('first'));
    first();
    expect(legs.size).toBe(0);
    legs.feed(hangup('agent-1', '200'));
    expect(ends).toEqual([]);

    const older = legs.watch('agent-1', () => ends.push('older'));
    legs.watch('agent-1', () => ends.push('newer'));
    older();
    legs.feed(hangup('agent-1', '200'));
    expect(ends).toEqual(['newer']);
  });
});
