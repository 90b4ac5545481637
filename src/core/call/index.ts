export { step } from './machine.js';
export { initialCallState, type NewCall } from './initial.js';
export { rejectCause } from './causes.js';
export { releasable } from './leave.js';
export { buildRecord, type CallOutcome, type CallRecord, type QueueHop, type SurveyResult } from './record.js';
export {
  PROMPTS, type CallCommand, type CallEvent, type CallPhase, type CallPolicy, type CallState, type PromptRef,
  type QueueNotice, type RingingAgent, type TimerName, type Transition,
} from './types.js';
