/**
 * The hour-by-hour picture of a simulated day as a standalone SVG: calls offered per hour as
 * bars (left axis), service level and answer rate of all lines as lines (right axis, 0–100 %).
 * No library, no script: it opens in any browser and pastes into any report.
 */
import type { EstimateSet } from './replications.js';

const W = 960;
const H = 420;
const M = { left: 60, right: 60, top: 50, bottom: 50 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function hourlyChartSvg(title: string, hours: readonly EstimateSet[]): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const offered = hours.map((h) => h.total.offered?.mean ?? 0);
  const max = Math.max(1, ...offered);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const bw = pw / 24;
  const x = (h: number) => M.left + h * bw;
  const yCalls = (v: number) => M.top + ph - (v / top) * ph;
  const yRate = (v: number) => M.top + ph - v * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>`,
  ];
  for (let v = 0; v <= top; v += step) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yCalls(v)}" y2="${yCalls(v)}" stroke="#eee"/>`,
      `<text x="${M.left - 6}" y="${yCalls(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (let p = 0; p <= 100; p += 20) out.push(`<text x="${W - M.right + 6}" y="${yRate(p / 100) + 4}">${p}%</text>`);
  offered.forEach((v, h) => {
    out.push(`<rect class="offered" x="${(x(h) + 2).toFixed(1)}" y="${yCalls(v).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${(M.top + ph - yCalls(v)).toFixed(1)}" fill="#9ecae1"><title>${h}:00 offered ${v.toFixed(1)}</title></rect>`);
    if (h % 2 === 0) out.push(`<text x="${x(h) + bw / 2}" y="${H - M.bottom + 16}" text-anchor="middle">${String(h).padStart(2, '0')}</text>`);
  });
  const series = (key: 'serviceLevel' | 'answerRate', colour: string) => {
    const pts = hours.flatMap((h, i) => {
      const v = h.total[key]?.mean;
      return v === undefined || v === null ? [] : [`${(x(i) + bw / 2).toFixed(1)},${yRate(v).toFixed(1)}`];
    });
    if (pts.length > 0) out.push(`<polyline class="${key}" points="${pts.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
  };
  series('serviceLevel', '#d62728');
  series('answerRate', '#2ca02c');
  out.push(
    `<text x="${M.left}" y="${H - 12}">calls offered per hour (bars)</text>`,
    `<text x="${M.left + 240}" y="${H - 12}" fill="#d62728">service level</text>`,
    `<text x="${M.left + 360}" y="${H - 12}" fill="#2ca02c">answer rate</text>`,
    `<text x="${W / 2}" y="${H - M.bottom + 32}" text-anchor="middle">hour of arrival</text>`,
    '</svg>', '');
  return out.join('\n');
}

function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}
