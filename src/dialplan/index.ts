export { DIALPLAN_DEFAULTS, generateDialplan, type Dialplan, type DialplanFile, type DialplanOptions } from './generate.js';
export { FALLBACK_EXTENSION } from './fallback.js';
export { fallbackPlan, numberEntries, promptLocation, type FallbackPlan, type NumberEntry } from './plan.js';
export { escapeXml, sanitizeComment } from './xml.js';
