/**
 * The call state machine's vocabulary: (state, event) → (state, commands). Everything here is
 * plain data so a transition can be tested as a table and replayed from a log. Time only comes
 * in on events (`at`, epoch ms); nothing in the machine reads a clock.
 */
import type { ShedReason } from '../capacity/index.js';
import type { LineMode, RouteDecision } from '../routing/index.js';
import type { CallRecord, QueueHop, SurveyResult } from './record.js';

export type CallPhase =
  | 'routing'            // waiting for route()
  | 'answering'          // answer sent, not yet confirmed
  | 'prompting'          // the one short prompt before the queue
  | 'enqueuing'          // enqueue sent to the ACD, hold music already playing
  | 'queued'             // waiting in line: hold music, periodic announcements
  | 'ringing-agent'      // an agent is reserved and rung; caller hears music
  | 'subcenter-ringing'  // a sub-center line is open: its seats are rung
  | 'subcenter-bridged'  // talking to the sub-center
  | 'bridged'            // talking to a 12345 agent
  | 'survey'             // satisfaction survey after the agent hung up
  | 'ending'             // goodbye / hangup under way
  | 'done';

export interface CallPolicy {
  /** hotline.shortAbandonSeconds: a hang-up within this of entering the queue is a short abandon. */
  readonly shortAbandonSeconds: number;
  /** How long the survey waits for a key after its prompt. */
  readonly surveyTimeoutSeconds: number;
  /** Position / wait announcement interval per queue (queues.*.announceEverySeconds); 0 or absent = never. */
  readonly announceEverySeconds: Readonly<Record<string, number>>;
}

export interface RingingAgent {
  readonly id: string;
  readonly name: string;
  readonly dial: string;
  readonly queueId: string;
  readonly ringSeconds: number;
}

/** What the ACD says about a waiting caller (the core's copy of the app's QueueNotice). */
export type QueueNotice =
  | { readonly kind: 'assigned'; readonly queueId: string; readonly agent: { readonly id: string; readonly name: string; readonly dial: string }; readonly ringSeconds: number }
  | { readonly kind: 'overflowed'; readonly from: string; readonly to: string; readonly reason: string };

export interface CallState {
  readonly phase: CallPhase;
  readonly policy: CallPolicy;
  readonly callSid: string;
  readonly fsUuid: string;
  readonly arrivedAt: number;
  /** The caller's number in full (never logged unmasked); undefined when withheld. */
  readonly caller: string | undefined;
  /** The number as FreeSWITCH delivered it (destination_number). */
  readonly dialed: string | undefined;
  /** Id of the media operation now playing; completions of older ones are stale and ignored. */
  readonly media: number;
  /** In `queued`: what the caller hears. */
  readonly holding: 'hold' | 'announcement' | undefined;
  /** A wait-status query is out (announcement due); a second one is not sent. */
  readonly statusPending: boolean;
  readonly line: { readonly number: string; readonly name: string; readonly mode: LineMode } | undefined;
  readonly priority: number;
  /** Prompts still to play before queueing (from the route decision). */
  readonly prompts: readonly string[];
  /** The queue asked for (before enqueue) or the one the caller waits in now. */
  readonly queueId: string | undefined;
  readonly hops: readonly QueueHop[];
  readonly queuedAt: number | undefined;
  readonly position: number | undefined;
  readonly agent: RingingAgent | undefined;
  readonly agentsTried: readonly string[];
  readonly subcenter: { readonly dial: string; readonly noAnswerSeconds: number; readonly fallbackQueue: string } | undefined;
  readonly callAnsweredAt: number | undefined;
  readonly connectedAt: number | undefined;
  readonly agentId: string | undefined;
  /** The ACD was told the agent's conversation ended (a transfer handed the caller over, or the agent hung up): never twice. */
  readonly agentReleased: boolean;
  readonly surveyPrompts: number;
  readonly survey: SurveyResult | undefined;
  readonly rejected: { readonly sipStatus: number; readonly reason: string } | undefined;
  /** Set once the outcome is known (reject, answer); a hang-up while waiting decides it then. */
  readonly outcome: CallRecord['outcome'] | undefined;
  readonly error: string | undefined;
  /** Released unanswered because the node was over capacity. */
  readonly shed: ShedReason | undefined;
  readonly hangupCause: string | undefined;
  readonly endedAt: number | undefined;
}

export type CallEvent =
  /** `shed`: the node is past its capacity marks: a call that is not rejected goes back to the dialplan unanswered. */
  | { readonly kind: 'route-decided'; readonly at: number; readonly decision: RouteDecision; readonly shed?: ShedReason }
  | { readonly kind: 'answered'; readonly at: number }
  /** A play / hold started with `media` id finished or was broken off. */
  | { readonly kind: 'media-done'; readonly at: number; readonly media: number }
  | { readonly kind: 'enqueued'; readonly at: number; readonly queueId: string; readonly position: number; readonly skipped: readonly { readonly queueId: string; readonly reason: string }[] }
  | { readonly kind: 'timer'; readonly at: number; readonly name: TimerName }
  | { readonly kind: 'wait-status'; readonly at: number; readonly status: { readonly position: number; readonly minutes: number | null } | null }
  | { readonly kind: 'queue-notice'; readonly at: number; readonly notice: QueueNotice }
  | { readonly kind: 'bridge-answered'; readonly at: number }
  | { readonly kind: 'bridge-failed'; readonly at: number; readonly outcome: 'no-answer' | 'busy' | 'failed'; readonly cause: string }
  /** The far end (agent / sub-center) hung up; the caller is still on the line. */
  | { readonly kind: 'bridge-ended'; readonly at: number; readonly cause: string }
  /** A three-party transfer handed the caller over: the 12345 agent left, the caller talks on (to the target). */
  | { readonly kind: 'transfer-agent-left'; readonly at: number }
  /** A transfer is over and nobody is left with the caller: the caller is the session's again (survey, goodbye). */
  | { readonly kind: 'transfer-over'; readonly at: number }
  | { readonly kind: 'digit'; readonly at: number; readonly digit: string }
  | { readonly kind: 'digit-timeout'; readonly at: number }
  | { readonly kind: 'caller-hangup'; readonly at: number; readonly cause: string }
  /** Hand the call back to the FreeSWITCH dialplan (drain at shutdown): its fallback reaches the 7×24 pool. */
  | { readonly kind: 'release'; readonly at: number; readonly reason: string }
  | { readonly kind: 'error'; readonly at: number; readonly message: string };

export type TimerName = 'announce';

export type PromptRef =
  | { readonly kind: 'prompt'; readonly id: string }
  | { readonly kind: 'announcement'; readonly position: number; readonly minutes: number | null };

export type CallCommand =
  | { readonly kind: 'answer' }
  | { readonly kind: 'play'; readonly media: number; readonly prompts: readonly PromptRef[] }
  | { readonly kind: 'hold'; readonly media: number }
  | { readonly kind: 'break-media' }
  | { readonly kind: 'bridge'; readonly target: 'agent' | 'subcenter'; readonly dial: string; readonly ringSeconds: number }
  | { readonly kind: 'acd-enqueue'; readonly queueId: string; readonly priority: number; readonly line: string; readonly caller?: string }
  | { readonly kind: 'acd-status' }
  | { readonly kind: 'acd-agent-answered'; readonly agentId: string }
  | { readonly kind: 'acd-agent-no-answer'; readonly agentId: string }
  | { readonly kind: 'acd-conversation-ended'; readonly agentId: string }
  | { readonly kind: 'acd-caller-left' }
  | { readonly kind: 'collect-digit'; readonly prompt: string; readonly timeoutMs: number; readonly valid: string }
  | { readonly kind: 'hangup'; readonly cause: string }
  | { readonly kind: 'release' }
  | { readonly kind: 'set-timer'; readonly name: TimerName; readonly at: number }
  | { readonly kind: 'cancel-timer'; readonly name: TimerName }
  | { readonly kind: 'record'; readonly record: CallRecord };

export interface Transition {
  readonly state: CallState;
  readonly commands: readonly CallCommand[];
}

/** Prompt ids the machine plays itself (registry STANDARD_PROMPTS). */
export const PROMPTS = { survey: 'survey', surveyThanks: 'survey-thanks', goodbye: 'goodbye' } as const;
