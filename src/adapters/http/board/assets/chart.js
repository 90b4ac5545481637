// Today per hour: average wait as bars (right axis, seconds) and the answer rate as a line
// (left axis, 0–100 %), drawn as inline SVG. Hours without calls have no bar and break the line.
const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 300;
const M = { left: 52, right: 52, top: 14, bottom: 34 };
/** GB/T 33358's 24-hour connected target, drawn as a reference line */
const TARGET = 0.95;

function svg(tag, attrs, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(seconds) {
  // Each divisible by 4: the four gridlines get whole seconds.
  const steps = [20, 40, 60, 120, 180, 240, 300, 600, 1200, 1800, 3600];
  return steps.find((s) => s >= seconds) ?? Math.ceil(seconds / 3600) * 3600;
}

export function drawChart(root, hourly) {
  const points = Array.isArray(hourly) ? hourly : [];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotW / 24;
  const x = (hour) => M.left + band * hour + band / 2;
  const yRate = (v) => M.top + plotH * (1 - v);
  const waitMax = niceMax(Math.max(0, ...points.map((p) => p.avgWaitSeconds ?? 0)));
  const yWait = (s) => M.top + plotH * (1 - s / waitMax);

  const nodes = [];
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const y = M.top + plotH * (1 - f);
    nodes.push(svg('line', { x1: M.left, x2: W - M.right, y1: y, y2: y, class: 'grid' }));
    nodes.push(svg('text', { x: M.left - 8, y: y + 5, class: 'axis rate', 'text-anchor': 'end' }, `${f * 100}%`));
    nodes.push(svg('text', { x: W - M.right + 8, y: y + 5, class: 'axis wait' }, `${Math.round(waitMax * f)}s`));
  }
  nodes.push(svg('line', { x1: M.left, x2: W - M.right, y1: yRate(TARGET), y2: yRate(TARGET), class: 'target' }));
  for (let h = 0; h < 24; h += 3) {
    nodes.push(svg('text', { x: x(h), y: H - 10, class: 'axis', 'text-anchor': 'middle' }, `${h}时`));
  }

  for (const p of points) {
    if (p.avgWaitSeconds === null || p.avgWaitSeconds === undefined) continue;
    const bar = svg('rect', {
      x: x(p.hour) - band * 0.32, width: band * 0.64, y: yWait(p.avgWaitSeconds), height: Math.max(1, yWait(0) - yWait(p.avgWaitSeconds)), class: 'bar',
    });
    bar.append(svg('title', {}, `${p.hour}时 平均等待 ${p.avgWaitSeconds.toFixed(1)}秒（${p.offered} 个来电）`));
    nodes.push(bar);
  }

  // The line breaks across hours without a rate rather than drawing a false zero.
  let d = '';
  let pen = false;
  for (const p of points) {
    const v = p.answerRate?.value;
    if (v === null || v === undefined) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x(p.hour).toFixed(1)},${yRate(v).toFixed(1)}`;
    pen = true;
  }
  if (d) nodes.push(svg('path', { d, class: 'rate-line' }));
  for (const p of points) {
    const v = p.answerRate?.value;
    if (v === null || v === undefined) continue;
    const dot = svg('circle', { cx: x(p.hour), cy: yRate(v), r: 4, class: 'rate-dot' });
    dot.append(svg('title', {}, `${p.hour}时 接通率 ${(v * 100).toFixed(1)}%（${p.answerRate.numerator} ÷ ${p.answerRate.denominator}）\n${p.answerRate.formula}`));
    nodes.push(dot);
  }
  root.replaceChildren(...nodes);
}
