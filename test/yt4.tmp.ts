import { parseYaml } from '../src/config/yaml-source.js';
import { DEFAULT_YAML_LIMITS } from '../src/config/yaml-bounds.js';
const M = Number(process.argv[2]) - 10;
const fill = (unit: (i: number) => string) => { const parts: string[] = []; let n = 0; for (let i = 0; n < M; i++) { const u = unit(i); parts.push(u); n += u.length; } return parts.join('').slice(0, M); };
const cases: [string, () => string][] = [
  ['unclosed', () => fill((i) => `k${i}: [unclosed, "x\n\t- :: ]\n`)],
  ['compact', () => fill(() => 'a: b: c\n')],
  ['dupkeys', () => fill(() => 'a: 1\n')],
  ['tabs', () => fill(() => '\tx: 1\n')],
  ['anchors', () => fill((i) => `k${i}: &a${i} x\n`)],
  ['bigmap', () => fill((i) => `k${i}: v\n`)],
  ['bigseq', () => fill(() => '- [1, 2, {a: b}]\n')],
  ['quote', () => '"' + 'x'.repeat(M)],
  ['indent', () => fill((i) => `${' '.repeat(i % 60)}k${i}: v\n`)],
  ['rand', () => { let st = 7; const a = '[]{}:,-?|>&*!#\'"% \n\tabc019'; return fill(() => { st = (Math.imul(st, 1103515245) + 12345) >>> 0; return a[(st >>> 16) % a.length]!; }); }],
];
for (const [name, make] of cases) {
  const text = make();
  const t = performance.now(); const r = parseYaml(text, 'x', { ...DEFAULT_YAML_LIMITS, maxBytes: 1e9 }); console.log(name, Math.round(performance.now() - t), r.ok ? 'ok' : `${r.problems.length} ${r.problems[0]?.message.slice(0, 50)} / ${r.problems.at(-1)?.message.slice(0, 50)}`, Math.round(process.memoryUsage().rss / 1e6));
}
