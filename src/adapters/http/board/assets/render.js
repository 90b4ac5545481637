// Tables, KPI strip and agent counts. Rows and cells are created once per key and updated in
// place, so a hover tooltip (the formula) survives the once-a-second updates.
import { AGENT_GROUPS, LEVELS, agentGroupCount, asaSeconds, clockSeconds, integer, percent, rateTitle } from './format.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One figure: its text, its colour level, its hover text; `tick` marks a wait that counts up client-side. */
function setCell(cell, { text, level = '', title = '', tick }) {
  if (cell.textContent !== text) cell.textContent = text;
  cell.dataset.level = level;
  if (title) cell.title = title; else cell.removeAttribute('title');
  if (tick) {
    cell.dataset.tickBase = tick.base === null ? '' : String(tick.base);
    cell.dataset.tickThreshold = String(tick.threshold);
  }
}

/** The columns every queue and line row shares, in the order managers asked for. */
export function figureColumns(slSeconds) {
  return [
    { label: '等待人数', value: (s) => ({ text: integer(s.waitingNow), level: LEVELS.waiting(s.waitingNow) }) },
    {
      label: '最长等待',
      value: (s) => ({
        text: clockSeconds(s.longestWaitSeconds), level: LEVELS.longestWait(s.longestWaitSeconds, s.serviceLevelSeconds),
        title: '当前等待最久的来电已等待的时长（每秒刷新）',
        tick: { base: s.longestWaitSeconds, threshold: s.serviceLevelSeconds },
      }),
    },
    { label: '今日接通率', value: (s) => ({ text: percent(s.answerRate), level: LEVELS.answerRate(s.answerRate), title: rateTitle('接通率', s.answerRate) }) },
    {
      label: `${slSeconds}秒接通率`,
      value: (s) => ({ text: percent(s.serviceLevel), level: LEVELS.serviceLevel(s.serviceLevel), title: rateTitle(`${s.serviceLevelSeconds}秒接通率`, s.serviceLevel, s.serviceLevelSeconds) }),
    },
    {
      label: '平均应答',
      value: (s) => ({ text: asaSeconds(s.asa), title: `平均应答时长 ASA = 已接通来电等待时长的平均值\n中位数 ${asaSeconds(s.wait?.p50)}，90% 分位 ${asaSeconds(s.wait?.p90)}` }),
    },
    { label: '放弃', value: (s) => ({ text: integer(s.abandoned), title: `等待中挂机（不含 ${s.counts?.shortAbandoned ?? 0} 个短时放弃）` }) },
    { label: '溢出', value: (s) => ({ text: integer(s.overflowed), title: '转入溢出队列（7×24 兜底）的来电，不计为放弃' }) },
    { label: '满意率', value: (s) => ({ text: percent(s.satisfactionRate), level: LEVELS.satisfaction(s.satisfactionRate), title: rateTitle('满意率', s.satisfactionRate) }) },
  ];
}

/**
 * Fills a table keyed by `keyOf`; `head` describes the first column(s), `extra` trailing ones.
 * Rows are moved into the given order, created when new, removed when gone.
 */
export function renderTable(table, rows, { keyOf, head, columns, extra = [] }) {
  const all = [...head, ...columns, ...extra];
  if (!table.tHead) {
    const tr = table.createTHead().insertRow();
    for (const c of all) tr.append(el('th', c.numeric === false ? '' : 'num', c.label));
  }
  const body = table.tBodies[0] ?? table.createTBody();
  const existing = new Map([...body.rows].map((tr) => [tr.dataset.key, tr]));
  for (const row of rows) {
    const key = keyOf(row);
    let tr = existing.get(key);
    existing.delete(key);
    if (!tr) {
      tr = el('tr');
      tr.dataset.key = key;
      all.forEach((c) => tr.append(el('td', c.numeric === false ? 'name' : 'num')));
    }
    all.forEach((c, i) => setCell(tr.cells[i], c.value(row)));
    if (row.open === false) tr.dataset.closed = 'true'; else delete tr.dataset.closed;
    body.append(tr);
  }
  for (const stale of existing.values()) stale.remove();
}

export function renderKpis(container, kpis) {
  for (const k of kpis) {
    let card = container.querySelector(`[data-kpi="${k.key}"]`);
    if (!card) {
      card = el('div', 'kpi');
      card.dataset.kpi = k.key;
      card.append(el('div', 'label', k.label), el('div', 'value'));
      container.append(card);
    }
    setCell(card.querySelector('.value'), k);
  }
}

export function renderAgents(container, byState, total) {
  for (const g of AGENT_GROUPS) {
    let box = container.querySelector(`[data-state="${g.key}"]`);
    if (!box) {
      box = el('div', 'agent');
      box.dataset.state = g.key;
      box.append(el('div', 'value'), el('div', 'label', g.label));
      container.append(box);
    }
    const n = agentGroupCount(byState, g);
    box.querySelector('.value').textContent = String(n);
    box.title = `${g.label}：${n} / ${total} 名坐席（${g.states.join(', ')}）`;
  }
}

/** A queue's agents in a few characters: the logged-in groups that are not empty. */
export function agentSummary(agents) {
  const present = AGENT_GROUPS.filter((g) => g.key !== 'logged-out' && agentGroupCount(agents, g) > 0);
  return {
    text: present.length === 0 ? '无坐席在线' : present.map((g) => `${g.label}${agentGroupCount(agents, g)}`).join(' '),
    title: AGENT_GROUPS.map((g) => `${g.label} ${agentGroupCount(agents, g)}`).join('\n'),
  };
}

/** Every `tick` cell: the snapshot's wait plus the seconds since the snapshot arrived. */
export function tickWaits(root, elapsedSeconds) {
  for (const cell of root.querySelectorAll('[data-tick-base]')) {
    const base = cell.dataset.tickBase;
    if (base === '') continue;
    const now = Number(base) + elapsedSeconds;
    cell.textContent = clockSeconds(now);
    cell.dataset.level = LEVELS.longestWait(now, Number(cell.dataset.tickThreshold));
  }
}
