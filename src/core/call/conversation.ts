/**
 * After the connection (docs/architecture.md, call path steps 6–7): the conversation, then the satisfaction survey
 * (1 satisfied, 2 basically satisfied, 3 unsatisfied; another key re-prompts once; silence
 * is `none`), then goodbye and hang-up.
 */
import { ignore, to } from './initial.js';
import { NO_CHANGE, next, type StatePatch } from './next-state.js';
import type { SurveyResult } from './record.js';
import { PROMPTS, type CallCommand, type CallEvent, type CallState, type Transition } from './types.js';

const ANSWERS: Readonly<Record<string, SurveyResult>> = { 1: 'satisfied', 2: 'basically-satisfied', 3: 'unsatisfied' };
const VALID = Object.keys(ANSWERS).join('');
/** The first prompt plus one re-prompt after a wrong key. */
const MAX_SURVEY_PROMPTS = 2;

/** `first`: a change to make in the same copy (the agent released, on reaching the survey). */
function askSurvey(s: CallState, first: StatePatch = NO_CHANGE): Transition {
  return to(next(s, first, { phase: 'survey', surveyPrompts: s.surveyPrompts + 1 }),
    { kind: 'collect-digit', prompt: PROMPTS.survey, timeoutMs: s.policy.surveyTimeoutSeconds * 1000, valid: VALID });
}

function finish(s: CallState, survey: SurveyResult, prompt: string): Transition {
  const media = s.media + 1;
  return to(next(s, { phase: 'ending', survey, media }), { kind: 'play', media, prompts: [{ kind: 'prompt', id: prompt }] });
}

/**
 * Talking to a 12345 agent. A three-party transfer takes the caller's media over:
 * `transfer-agent-left` when the agent leaves (the ACD starts its wrap-up; the caller talks on
 * with the target), `transfer-over` when nobody is left with the caller (survey). The bridge
 * ending as the legs move into the conference is not reported by the session (it took over).
 */
export function onBridged(s: CallState, e: CallEvent): Transition {
  if (s.agentId === undefined) return ignore(s);
  if (e.kind === 'transfer-agent-left') {
    if (s.agentReleased) return ignore(s);
    return to(next(s, { agentReleased: true }), { kind: 'acd-conversation-ended', agentId: s.agentId });
  }
  if (e.kind !== 'bridge-ended' && e.kind !== 'transfer-over') return ignore(s);
  if (e.kind === 'bridge-ended' && s.agentReleased) return ignore(s);
  // The agent hung up (or the transfer is over); the caller leg stays up for the survey.
  const ended: CallCommand[] = s.agentReleased ? [] : [{ kind: 'acd-conversation-ended', agentId: s.agentId }];
  const survey = askSurvey(s, { agentReleased: true });
  return to(survey.state, ...ended, ...survey.commands);
}

export function onSurvey(s: CallState, e: CallEvent): Transition {
  if (e.kind === 'digit') {
    const answer = ANSWERS[e.digit];
    if (answer !== undefined) return finish(s, answer, PROMPTS.surveyThanks);
    return s.surveyPrompts < MAX_SURVEY_PROMPTS ? askSurvey(s) : finish(s, 'none', PROMPTS.goodbye);
  }
  if (e.kind === 'digit-timeout') return finish(s, 'none', PROMPTS.goodbye);
  if (e.kind === 'error') return to(next(s, { phase: 'ending', survey: 'none', error: e.message }), { kind: 'hangup', cause: 'NORMAL_CLEARING' });
  return ignore(s);
}

export function onEnding(s: CallState, e: CallEvent): Transition {
  if (e.kind === 'media-done' && e.media === s.media) return to(s, { kind: 'hangup', cause: 'NORMAL_CLEARING' });
  return ignore(s);
}
