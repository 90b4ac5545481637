/**
 * Every id the registry refers to must be defined, and the prompts the call flow always plays must exist.
 */
import { STANDARD_PROMPTS } from './schema.js';
import type { PathSegments } from './problem.js';
import type { Reporter } from './reporter.js';
import type { SemanticInput } from './semantic-input.js';
import { suggestionHint } from './suggest.js';

type Kind = keyof SemanticInput['declared'];

interface Reference {
  readonly path: PathSegments;
  readonly kind: Kind;
  readonly id: string | undefined;
}

const SINGULAR: Readonly<Record<Kind, string>> = { queues: 'queue', schedules: 'schedule', calendars: 'calendar', prompts: 'prompt' };

const PROMPT_EXAMPLES: Readonly<Record<(typeof STANDARD_PROMPTS)[number], string>> = {
  hold: 'hold: { file: "local_stream://moh" }',
  position: 'position: { text: "您前面还有{position}位" }',
  wait: 'wait: { text: "预计等待{minutes}分钟" }',
  survey: 'survey: { text: "请对本次服务进行评价，满意请按1，基本满意请按2，不满意请按3" }',
  'survey-thanks': 'survey-thanks: { text: "感谢您的评价，再见" }',
  goodbye: 'goodbye: { text: "感谢您的来电，再见" }',
};

function referencesOf(input: SemanticInput): Reference[] {
  const { hotline } = input;
  const refs: Reference[] = [
    { path: ['hotline', 'queue'], kind: 'queues', id: hotline.queue },
    { path: ['hotline', 'poolQueue'], kind: 'queues', id: hotline.poolQueue },
    { path: ['hotline', 'welcomePrompt'], kind: 'prompts', id: hotline.welcomePrompt },
  ];
  for (const { index, value: line } of input.lines) {
    const path = ['lines', index];
    if (line.mode === 'subcenter') {
      refs.push({ path: [...path, 'subcenter', 'overflowQueue'], kind: 'queues', id: line.subcenter.overflowQueue });
      refs.push({ path: [...path, 'subcenter', 'schedule'], kind: 'schedules', id: line.subcenter.schedule });
    } else {
      refs.push({ path: [...path, 'queue'], kind: 'queues', id: line.queue });
    }
    if (line.mode === 'merged') refs.push({ path: [...path, 'transitionPrompt'], kind: 'prompts', id: line.transitionPrompt });
  }
  for (const [id, queue] of input.queues) {
    refs.push({ path: ['queues', id, 'overflow'], kind: 'queues', id: queue.overflow });
    refs.push({ path: ['queues', id, 'schedule'], kind: 'schedules', id: queue.schedule });
  }
  for (const { index, value: agent } of input.agents) {
    agent.queues.forEach((id, j) => refs.push({ path: ['agents', index, 'queues', j], kind: 'queues', id }));
  }
  for (const [id, schedule] of input.schedules) {
    refs.push({ path: ['schedules', id, 'calendar'], kind: 'calendars', id: schedule.calendar });
  }
  return refs;
}

export function checkReferences(input: SemanticInput, r: Reporter): void {
  for (const { path, kind, id } of referencesOf(input)) {
    if (id === undefined || input.declared[kind].includes(id)) continue;
    r.report(path, `${SINGULAR[kind]} "${id}" is not defined`, { hint: suggestionHint(id, input.declared[kind], kind) });
  }
  for (const name of STANDARD_PROMPTS) {
    if (input.declared.prompts.includes(name)) continue;
    r.report(['prompts'], `standard prompt "${name}" is missing`, { anchor: 'key', hint: `the call flow always plays it; e.g. ${PROMPT_EXAMPLES[name]}` });
  }
}
