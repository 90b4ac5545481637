// Formatting and colour thresholds shared by the tables, the KPI strip and the chart.
// Thresholds follow GB/T 33358 (answer within 15 s; ≥ 95 % connected) and the brief's
// service-level bands; `warn` is amber, `bad` is red.

export const DASH = '—';

/** Agent statuses grouped the way a supervisor reads them; `reserved` lasts milliseconds before ringing. */
export const AGENT_GROUPS = [
  { key: 'ready', label: '空闲', states: ['ready'] },
  { key: 'ringing', label: '振铃', states: ['reserved', 'ringing'] },
  { key: 'on-call', label: '通话', states: ['on-call'] },
  { key: 'wrap-up', label: '话后', states: ['wrap-up'] },
  { key: 'not-ready', label: '小休', states: ['not-ready'] },
  { key: 'logged-out', label: '未登录', states: ['logged-out'] },
];

export function agentGroupCount(byState, group) {
  return group.states.reduce((sum, s) => sum + (byState?.[s] ?? 0), 0);
}

/** A 0..1 rate as a percentage with one decimal; null (nothing to divide by) as a dash. */
export function percent(rate) {
  if (rate === null || rate === undefined || rate.value === null) return DASH;
  return `${(rate.value * 100).toFixed(1)}%`;
}

/** Seconds as m:ss — one format for every wait on the board, readable from across the room. */
export function clockSeconds(seconds) {
  if (seconds === null || seconds === undefined) return DASH;
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function asaSeconds(seconds) {
  return seconds === null || seconds === undefined ? DASH : `${seconds.toFixed(1)}秒`;
}

export function integer(n) {
  return n === null || n === undefined ? DASH : String(n);
}

/** The server's formula words (docs/metrics.md) in Chinese; longer phrases first so they win. */
const TERMS = [
  ['(satisfied + basically satisfied)', '(满意 + 基本满意)'],
  ['survey answers (no answer excluded)', '测评回答数（未回答不计）'],
  ['answered within T', 'T秒内接通'],
  ['short abandoned', '短时放弃'],
  ['overflowed out', '溢出转出'],
  ['answered', '接通'],
  ['offered', '进入队列'],
  ['calls', '来电'],
];

export function formulaInChinese(formula, seconds) {
  let text = formula;
  for (const [en, zh] of TERMS) text = text.split(en).join(zh);
  return seconds === undefined ? text : text.replace('T秒', `${seconds}秒`);
}

/** The hover text: the definition, then the actual numbers, so a figure can be checked by hand. */
export function rateTitle(label, rate, seconds) {
  if (!rate) return label;
  const value = rate.value === null ? '无数据（分母为 0）' : percent(rate);
  return `${label} = ${formulaInChinese(rate.formula, seconds)}\n= ${rate.numerator} ÷ ${rate.denominator} = ${value}\n（${rate.formula}）`;
}

const below = (value, warn, bad) => (value === null || value === undefined ? '' : value < bad ? 'bad' : value < warn ? 'warn' : 'ok');

export const LEVELS = {
  serviceLevel: (rate) => below(rate?.value, 0.8, 0.6),
  answerRate: (rate) => below(rate?.value, 0.95, 0.85),
  satisfaction: (rate) => below(rate?.value, 0.9, 0.8),
  /** a caller waiting past the service-level threshold is amber, past a minute red */
  longestWait: (seconds, threshold = 15) => (seconds === null || seconds === undefined ? '' : seconds >= 60 ? 'bad' : seconds >= threshold ? 'warn' : 'ok'),
  waiting: (n) => (n > 10 ? 'bad' : n > 3 ? 'warn' : ''),
};
