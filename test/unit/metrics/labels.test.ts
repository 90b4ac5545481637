/** No label value outside the registry's closed sets: caller numbers and call ids never become series. */
import { describe, expect, it } from 'vitest';
import { createPromMetrics, waitBuckets } from '../../../src/adapters/metrics/index.js';
import { LabelVocabulary, factsOf, metricsScope } from '../../../src/core/metrics/index.js';
import { FakeAcd, queueView } from './fake-acd.js';
import { parseExposition } from './exposition.js';
import { dayRegistry, record, scriptedDay } from './scripted-day.js';

describe('label cardinality', () => {
  it('every label value comes from the vocabulary; strangers become `other`', async () => {
    const registry = dayRegistry();
    const vocab = new LabelVocabulary(registry);
    const acd = new FakeAcd();
    acd.queueViews = [queueView('general', 1, 3), queueView('ghost-queue', 9, 9)];
    const prom = createPromMetrics({ scope: metricsScope(registry), labels: vocab, acd, processMetrics: false });
    const strange = [
      ...scriptedDay(),
      { ...record('x1', { line: '13800138000', at: '09:00', queue: 'secret-queue', prompt: 1, wait: 2, outcome: 'answered', survey: 'satisfied' }),
        hops: [{ queue: 'call-abc-123', reason: 'caller 13800138000', entered: true }] },
      { ...record('x2', { line: '12345', at: '09:00', queue: 'general', prompt: 1, wait: 2, outcome: 'answered' }),
        outcome: 'weird-outcome' as never, transfers: [{ target: '13912345678', outcome: 'uuid-1234' }] },
    ];
    for (const r of strange) prom.observe(factsOf(r), r.line);
    prom.countTransfer('13912345678', 'uuid-1234');
    prom.countTransfer('12366', 'completed');
    const samples = parseExposition(await prom.registry.metrics());

    const allowed: Record<string, Set<string>> = {
      line: new Set(vocab.values('line')), queue: new Set(vocab.values('queue')), from: new Set(vocab.values('queue')),
      to: new Set(vocab.values('queue')), state: new Set(vocab.values('state')), outcome: new Set([...vocab.values('outcome'), ...vocab.values('transferOutcome')]),
      reason: new Set(vocab.values('reason')), result: new Set(vocab.values('survey')), target: new Set(vocab.values('target')),
      le: new Set(['5', '10', '15', '20', '30', '60', '120', '300', '+Inf']),
    };
    const hotline = samples.filter((s) => s.name.startsWith('hotline_'));
    expect(hotline.length).toBeGreaterThan(10);
    for (const s of hotline) {
      for (const [k, v] of Object.entries(s.labels)) {
        expect(allowed[k]?.has(v), `${s.name} ${k}="${v}"`).toBe(true);
      }
    }
    const text = JSON.stringify(hotline);
    for (const leak of ['13800138000', '13912345678', 'call-abc', 'uuid-', 'ghost-queue', 'secret-queue', 'x1', 'x2']) expect(text).not.toContain(leak);
    expect(hotline.some((s) => s.labels.line === 'other' && s.labels.queue === 'other')).toBe(true);
    expect(hotline.some((s) => s.name === 'hotline_transfers_total' && s.labels.target === 'other' && s.labels.outcome === 'other')).toBe(true);
    expect(hotline.some((s) => s.name === 'hotline_transfers_total' && s.labels.target === '12366' && s.labels.outcome === 'completed')).toBe(true);
  });

  it('wait buckets: the standard thresholds plus each queue’s service level', () => {
    const registry = dayRegistry();
    const overseas = registry.queues.overseas;
    if (overseas !== undefined) registry.queues.overseas = { ...overseas, serviceLevelSeconds: 25 };
    expect(waitBuckets(metricsScope(registry))).toEqual([5, 10, 15, 20, 25, 30, 60, 120, 300]);
  });
});
