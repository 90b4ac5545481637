import type { CallPolicy } from '../../core/call/index.js';
import type { Registry } from '../../config/schema.js';

/** The machine's settings from the registry. The survey timeout is not in the registry (yet). */
export function callPolicy(registry: Registry, surveyTimeoutSeconds = 10): CallPolicy {
  const announceEverySeconds: Record<string, number> = {};
  for (const [id, q] of Object.entries(registry.queues)) announceEverySeconds[id] = q.announceEverySeconds;
  return { shortAbandonSeconds: registry.hotline.shortAbandonSeconds, surveyTimeoutSeconds, announceEverySeconds };
}
