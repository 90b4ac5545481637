/**
 * Registries as plain TypeScript objects for routing tests and benchmarks: a realistic city
 * (杭州市) with the real 2026 mainland holiday calendar, plus small helpers for times and a
 * fake live queue view. Every call returns a fresh object, so a test may mutate its copy.
 */
import type { Calendar, Line, Queue, Registry, Schedule } from '../../src/config/schema.js';
import type { LiveQueueView } from '../../src/core/routing/index.js';

/** 2026 public holidays and adjusted working days (调休) as announced by the State Council. */
export function cn2026(): Calendar {
  return {
    name: '2026 法定节假日',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
      { name: '春节', from: '2026-02-15', to: '2026-02-23' },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
    ],
    workdays: [
      { name: '元旦调休', date: '2026-01-04' },
      { name: '春节调休', date: '2026-02-14' },
      { name: '春节调休', date: '2026-02-28' },
      { name: '劳动节调休', date: '2026-05-09' },
      { name: '国庆调休', date: '2026-09-20' },
      // Worked as a Friday: Friday hours end earlier, which the tests use to see `as` applied.
      { name: '国庆调休', date: '2026-10-10', as: 'fri' },
    ],
  };
}

export function queue(name: string, schedule: string, extra: Partial<Queue> = {}): Queue {
  return {
    name, schedule, skills: [], maxWaitSeconds: 120, maxLength: 50, wrapUpSeconds: 15,
    announceEverySeconds: 30, serviceLevelSeconds: 15, ringSeconds: 20, selection: 'skill-then-longest-idle',
    ...extra,
  };
}

const OFFICE: Schedule = {
  name: '工作时间',
  calendar: 'cn-2026',
  weekly: [
    { days: ['mon', 'tue', 'wed', 'thu'], open: '08:30', close: '12:00' },
    { days: ['mon', 'tue', 'wed', 'thu'], open: '13:30', close: '17:30' },
    { days: ['fri'], open: '08:30', close: '12:00' },
    { days: ['fri'], open: '13:30', close: '16:30' },
  ],
};

export function cityRegistry(): Registry {
  const lines: Line[] = [
    { number: '12319', name: '城建服务热线', mode: 'merged', priority: 0, queue: 'general', transitionPrompt: 'merged-12319', transitionUntil: '2026-12-31' },
    { number: '12328', name: '交通运输服务监督热线', mode: 'dual', priority: 1, queue: 'traffic' },
    { number: '96580', name: '海外侨胞服务热线', mode: 'dual', priority: 0, queue: 'overseas' },
    {
      number: '12366', name: '纳税服务热线', mode: 'subcenter', priority: 2,
      subcenter: { dial: 'sofia/gateway/tax/12366', schedule: 'tax-hours', noAnswerSeconds: 30, overflowQueue: 'pool-24x7' },
    },
  ];
  return {
    version: 1,
    hotline: {
      number: '12345', region: '杭州市', timeZone: 'Asia/Shanghai', queue: 'general', poolQueue: 'pool-24x7',
      welcomePrompt: 'welcome', shortAbandonSeconds: 5,
    },
    calendars: { 'cn-2026': cn2026() },
    schedules: {
      'office-hours': structuredClone(OFFICE),
      '24x7': { name: '7×24', alwaysOpen: true },
      'daytime': { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '08:00', close: '20:00' }] },
      'tax-hours': {
        calendar: 'cn-2026', closedDates: ['2026-03-02'],
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }],
      },
      'berlin-office': { timeZone: 'Europe/Berlin', weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '09:00', close: '17:00' }] },
    },
    queues: {
      'general': queue('12345 综合', 'office-hours', { overflow: 'pool-24x7' }),
      'pool-24x7': queue('7×24 兜底', '24x7', { maxLength: 500 }),
      'traffic': queue('交通', 'daytime', { overflow: 'pool-24x7', maxLength: 20 }),
      'overseas': queue('海外', 'berlin-office', { overflow: 'pool-24x7' }),
    },
    lines,
    agents: [
      { id: '1001', name: '张敏', dial: 'user/1001', skills: {}, queues: ['general', 'pool-24x7'] },
      { id: '1002', name: '李强', dial: 'user/1002', skills: {}, queues: ['pool-24x7', 'traffic', 'overseas'] },
    ],
    transferTargets: [],
    prompts: {
      'welcome': { text: '您好，这里是12345' },
      'merged-12319': { text: '12319已并入12345，正在为您转接' },
      'hold': { file: 'local_stream://moh' },
      'position': { text: '您前面还有{position}位' },
      'wait': { text: '预计等待{minutes}分钟' },
      'survey': { text: '满意请按1，基本满意请按2，不满意请按3' },
      'survey-thanks': { text: '感谢您的评价' },
      'goodbye': { text: '感谢您的来电，再见' },
    },
  };
}

/** Asia/Shanghai has been UTC+8 all year since 1991: "2026-02-14 08:30" → epoch ms. */
export function shanghai(local: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (m === null) throw new Error(`bad local time ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h - 8, mi, s);
}

/** A fixed live view: queues not listed have `agents` agents and an empty queue. */
export function liveView(byQueue: Record<string, { agents?: number; length?: number }>, agents = 5): LiveQueueView {
  return {
    agentsLoggedIn: (id) => byQueue[id]?.agents ?? agents,
    length: (id) => byQueue[id]?.length ?? 0,
  };
}
