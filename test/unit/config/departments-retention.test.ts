import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import type { Registry } from '../../../src/config/schema.js';
import { minimalWith, problemsIn, summaries } from './registry-fixtures.js';

type Loose = Record<string, unknown>;
const withDepartments = (departments: Loose, change: (r: Registry) => void = () => undefined) => minimalWith((r) => {
  (r as unknown as Loose)['departments'] = departments;
  (r.lines[0] as Loose)['department'] = 'transport';
  change(r);
});
const hook = (over: Loose = {}) => ({ url: 'https://dept.example.gov.cn/hotline', secretEnv: 'TRANSPORT_SECRET', ...over });

describe('registry departments', () => {
  it('loads a department webhook with its defaults (masked numbers, 10 s timeout)', () => {
    const result = parseRegistry(withDepartments({ transport: { name: '交通运输局', webhook: hook() } }), 'd.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.registry.departments?.['transport']?.webhook).toEqual({ ...hook(), callerNumbers: 'masked', timeoutSeconds: 10 });
  });

  it('refuses a secret written in the registry, with its line and column', () => {
    const text = withDepartments({ transport: { name: '交通运输局', webhook: hook({ secret: 'abcdefghijklmnopq' }) } });
    const problems = problemsIn(text);
    const secret = problems.find((p) => p.path.includes('secret'));
    expect(secret).toMatchObject({ severity: 'error', path: 'departments.transport.webhook.secret' });
    const lineOfSecret = text.split('\n').findIndex((l) => l.includes('secret: abcdefghijklmnopq')) + 1;
    expect(secret?.line).toBe(lineOfSecret);
    expect(secret?.col).toBeGreaterThan(0);
  });

  it('needs exactly one of secretEnv and secretFile', () => {
    expect(summaries(problemsIn(withDepartments({ transport: { name: 'x', webhook: { url: 'https://a.example/h' } } })))).toEqual([
      'departments.transport.webhook  webhook needs secretEnv or secretFile',
    ]);
    expect(summaries(problemsIn(withDepartments({ transport: { name: 'x', webhook: hook({ secretFile: '/run/secrets/t' }) } })))).toEqual([
      'departments.transport.webhook  webhook has both secretEnv and secretFile: give one',
    ]);
  });

  it('refuses a URL that is not http(s), a lower-case env name, an unknown callerNumbers', () => {
    const problems = problemsIn(withDepartments({ transport: { name: 'x', webhook: hook({ url: 'ftp://a.example/h', secretEnv: 'lower', callerNumbers: 'some' }) } }));
    expect(problems.map((p) => p.path).sort()).toEqual([
      'departments.transport.webhook.callerNumbers', 'departments.transport.webhook.secretEnv', 'departments.transport.webhook.url',
    ]);
    expect(problems.every((p) => p.severity === 'error' && p.line > 0)).toBe(true);
  });

  it('warns about a department no line has, and a line department that looks like a typo of a declared one', () => {
    const text = withDepartments({ transport: { name: 'x', webhook: hook() }, health: { name: '卫健委', webhook: hook({ secretEnv: 'HEALTH' }) } }, (r) => {
      (r.lines[1] as Loose)['department'] = 'transprt';
      // Not every department must be declared: one that is no near miss is left alone.
      (r.lines[2] as Loose)['department'] = 'market-regulation';
    });
    const problems = problemsIn(text);
    expect(problems.map((p) => [p.path, p.severity, p.message, p.hint]).sort()).toEqual([
      ['departments.health', 'warning', 'no line has department "health": its webhook will receive nothing', undefined],
      ['lines[1].department', 'warning', 'department "transprt" is not in departments: it gets no webhook', 'did you mean "transport"?'],
    ]);
  });

  it('leaves registries without a departments section as they were', () => {
    expect(problemsIn(minimalWith((r) => { (r.lines[0] as Loose)['department'] = 'transport'; }))).toEqual([]);
  });
});

describe('registry retention', () => {
  const withRetention = (retention: Loose) => minimalWith((r) => { (r as unknown as Loose)['retention'] = retention; });

  it('loads day counts per kind and the purge time', () => {
    const result = parseRegistry(withRetention({ callRecordsDays: 1095, callerNumberDays: 180, agentLogDays: 365, auditDays: 1095, reportsDays: 3650, outboxDays: 30, purgeAt: '03:30' }), 'r.yaml');
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('refuses zero, fractions, unknown kinds and an impossible purge time, each located', () => {
    const problems = problemsIn(withRetention({ callRecordsDays: 0, auditDays: 1.5, recordings: 30, purgeAt: '24:00' }));
    expect(problems.map((p) => p.path).sort()).toEqual(['retention.auditDays', 'retention.callRecordsDays', 'retention.purgeAt', 'retention.recordings']);
    expect(problems.every((p) => p.severity === 'error' && p.line > 0 && p.col > 0)).toBe(true);
  });

  it('warns when caller numbers would be kept as long as the records themselves', () => {
    expect(summaries(problemsIn(withRetention({ callRecordsDays: 30, callerNumberDays: 30 })))).toEqual([
      'retention.callerNumberDays  callerNumberDays (30) is not shorter than callRecordsDays (30): records are deleted before their numbers would be masked',
    ]);
  });
});

describe('retention and departments receiving full numbers', () => {
  const text = (retention: Record<string, unknown>) => minimalWith((r) => {
    const loose = r as unknown as Record<string, unknown>;
    loose['departments'] = { transport: { name: 'x', webhook: { url: 'https://a.example/h', secretEnv: 'T', callerNumbers: 'full' } } };
    (r.lines[0] as Record<string, unknown>)['department'] = 'transport';
    loose['retention'] = retention;
  });

  it('warns when feed items would keep full numbers longer than the records do', () => {
    expect(summaries(problemsIn(text({ callerNumberDays: 90 })))).toEqual([
      'retention.callerNumberDays  departments transport receive caller numbers in full: their feed items keep them forever, longer than callerNumberDays (90)',
    ]);
    expect(summaries(problemsIn(text({ callerNumberDays: 90, outboxDays: 180 })))).toEqual([
      'retention.outboxDays  departments transport receive caller numbers in full: their feed items keep them 180 days, longer than callerNumberDays (90)',
    ]);
    expect(problemsIn(text({ callerNumberDays: 90, outboxDays: 30 }))).toEqual([]);
  });
});
