// The wall board's entry: token → data source → render; a one-second tick keeps the clock and
// the longest-wait cells counting between snapshots.
import { connect } from './data-source.js';
import { drawChart } from './chart.js';
import { asaSeconds, clockSeconds, integer, LEVELS, percent, rateTitle } from './format.js';
import { agentSummary, figureColumns, renderAgents, renderKpis, renderTable, tickWaits } from './render.js';
import { forgetToken, takeToken } from './token.js';

const $ = (id) => document.getElementById(id);

const STATUS = {
  connecting: '连接中…',
  live: '● 实时',
  polling: '● 轮询（每5秒）',
  offline: '● 连接中断',
  unauthorized: '令牌无效',
  forbidden: '无权查看',
  stopped: '已停止',
};

let receivedAt = performance.now();
let lastDrawnHourly = '';
/** the hotline's time zone (the snapshot says which), so the wall clock matches "today" */
let timeZone;

function maxOrNull(values) {
  const present = values.filter((v) => v !== null && v !== undefined);
  return present.length === 0 ? null : Math.max(...present);
}

function kpisOf(snapshot) {
  const t = snapshot.total;
  const queues = snapshot.queues ?? [];
  const lines = snapshot.lines ?? [];
  // Queue figures when there are queues (a caller waits in exactly one); lines otherwise (department view).
  const live = queues.length > 0 ? queues : lines;
  const waiting = live.reduce((n, q) => n + q.waitingNow, 0);
  const longest = maxOrNull(live.map((q) => q.longestWaitSeconds));
  return [
    { key: 'calls', label: '今日来电', text: integer(t.counts.calls), title: '今日到达各热线号码的来电（不含拒接）' },
    { key: 'waiting', label: '等待人数', text: integer(waiting), level: LEVELS.waiting(waiting) },
    { key: 'longest', label: '最长等待', text: clockSeconds(longest), level: LEVELS.longestWait(longest, t.serviceLevelSeconds),
      tick: { base: longest, threshold: t.serviceLevelSeconds }, title: '当前等待最久的来电（每秒刷新）' },
    { key: 'answer', label: '今日接通率', text: percent(t.answerRate), level: LEVELS.answerRate(t.answerRate), title: rateTitle('接通率', t.answerRate) },
    { key: 'sl', label: `${t.serviceLevelSeconds}秒接通率`, text: percent(t.serviceLevel), level: LEVELS.serviceLevel(t.serviceLevel),
      title: rateTitle(`${t.serviceLevelSeconds}秒接通率`, t.serviceLevel, t.serviceLevelSeconds) },
    { key: 'asa', label: '平均应答', text: asaSeconds(t.wait.asa), title: `平均应答时长 ASA：已接通来电的平均等待\n中位数 ${asaSeconds(t.wait.p50)}，90% 分位 ${asaSeconds(t.wait.p90)}` },
    { key: 'abandoned', label: '放弃', text: integer(t.counts.abandoned), title: `等待中挂机（另有 ${t.counts.shortAbandoned} 个短时放弃不计入）` },
    { key: 'overflowed', label: '溢出', text: integer(t.counts.overflowed), title: '转入 7×24 兜底队列的来电' },
    { key: 'satisfaction', label: '满意率', text: percent(t.satisfactionRate), level: LEVELS.satisfaction(t.satisfactionRate), title: rateTitle('满意率', t.satisfactionRate) },
  ];
}

const MODE = { hotline: '12345', merged: '整体并入', dual: '双号并行', subcenter: '分中心' };

function render(snapshot) {
  receivedAt = performance.now();
  $('date').textContent = snapshot.date ?? '';
  if (snapshot.timeZone !== timeZone) {
    timeZone = snapshot.timeZone;
    showClock();
  }
  const columns = figureColumns(snapshot.total?.serviceLevelSeconds ?? 15);
  renderKpis($('kpis'), kpisOf(snapshot));

  const queues = snapshot.queues ?? [];
  $('queues-panel').hidden = queues.length === 0;
  renderTable($('queues'), queues, {
    keyOf: (q) => q.queue,
    head: [{ label: '队列', numeric: false, value: (q) => ({ text: q.open ? q.name : `${q.name}（已关闭）`, title: `${q.queue}${q.open ? '' : ' · 当前不在服务时间'}` }) }],
    columns,
    extra: [{ label: '坐席', numeric: false, value: (q) => agentSummary(q.agents) }],
  });
  renderTable($('lines'), snapshot.lines ?? [], {
    keyOf: (l) => l.line,
    head: [{ label: '号码', numeric: false, value: (l) => ({ text: `${l.line} ${l.name}`, title: `${l.line} ${l.name} · ${MODE[l.mode] ?? l.mode}` }) }],
    columns,
  });

  const agents = snapshot.agents;
  $('agents-panel').hidden = !agents || agents.total === 0;
  if (agents) {
    renderAgents($('agents'), agents.byState, agents.total);
    $('agents-total').textContent = `共 ${agents.total} 名`;
  }
  // Redraw the chart only when its data changed: it is rebuilt from scratch.
  const hourly = JSON.stringify(snapshot.hourly ?? []);
  if (hourly !== lastDrawnHourly) {
    lastDrawnHourly = hourly;
    drawChart($('chart'), snapshot.hourly ?? []);
  }
  $('chart-panel').hidden = !snapshot.hourly || snapshot.hourly.length === 0;
  // A department's view has no side panels: the tables take the whole width.
  document.querySelector('.grid').classList.toggle('no-side', $('agents-panel').hidden && $('chart-panel').hidden);
  const scope = snapshot.scope?.department;
  $('scope').hidden = !scope;
  $('scope').textContent = scope ? `部门：${scope}` : '';
}

function showStatus(state) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = STATUS[state] ?? state;
  if (state === 'unauthorized' || state === 'forbidden') {
    forgetToken();
    notice(state === 'unauthorized' ? '令牌无效或已过期：请使用 /board?token=… 重新打开。' : '此令牌无权查看看板数据。');
  }
}

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = false;
}

function showClock() {
  $('clock').textContent = new Date().toLocaleTimeString('zh-CN', { hour12: false, ...(timeZone ? { timeZone } : {}) });
}

function tick() {
  showClock();
  tickWaits(document, Math.floor((performance.now() - receivedAt) / 1000));
}

const token = takeToken();
tick();
setInterval(tick, 1000);
if (token) {
  connect({ token, onSnapshot: render, onStatus: showStatus });
} else {
  showStatus('unauthorized');
  notice('需要访问令牌：请使用 /board?token=<令牌> 打开看板（令牌只保存在本标签页中）。');
}
