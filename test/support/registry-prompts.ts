/**
 * The registry's `prompts:` block for test and bench registries written as YAML lines: hold music
 * from FreeSWITCH's own stream, every other prompt as short text (rendered by `hotline prompts`).
 */
export const PROMPTS_YAML: readonly string[] = [
  'prompts:',
  '  hold: { file: local_stream://moh }',
  '  position: { text: "您前面还有{position}位" }',
  '  wait: { text: "预计等待{minutes}分钟" }',
  '  survey: { text: 满意请按1 }',
  '  survey-thanks: { text: 谢谢 }',
  '  goodbye: { text: 再见 }',
];
