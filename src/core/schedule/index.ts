export { compileSchedule, type CompiledSchedule, type Interval } from './compile.js';
export { formatDay, formatMinute, parseIsoDate } from './dates.js';
export { Zone, localTime, zoneOf, type LocalTime } from './local-time.js';
export { dayPlan, isOpen, openAt, type DayPlan, type OpenState } from './is-open.js';
export { nextChange, nextChangeIn, type Change } from './next-change.js';
