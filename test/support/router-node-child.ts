/**
 * One router node in a child process (run by ./router-node.ts): an AcdService over its own Redis
 * connections, the bus and the node registry, exactly as `hotline serve` builds it with
 * REDIS_URL — without FreeSWITCH: the parent plays the callers and agents over IPC.
 * A caller's session is simulated: on `assigned` the agent answers at once (answer: 'auto'),
 * talks `talkMs`, hangs up; with answer: 'never' reservations are left ringing (fault tests).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EslChannelProbe } from '../../src/adapters/esl/channel-probe.js';
import { InboundEslClient } from '../../src/adapters/esl/index.js';
import { connectRedis, RedisAcdStore, RedisBus, RedisLiveCalls, RedisNodeRegistry } from '../../src/adapters/store/redis/index.js';
import { reconcileAgentCallsEvery } from '../../src/app/cluster/agent-reconcile.js';
import { createLogger } from '../../src/lib/logger.js';
import { NodeTimers } from '../../src/adapters/timers/index.js';
import { AcdService } from '../../src/app/acd/acd-service.js';
import type { QueueNotice } from '../../src/app/acd/call-acd-port.js';
import type { BeatStats } from '../../src/app/acd/heartbeat.js';
import type { Registry } from '../../src/config/schema.js';
import { newNodeId } from '../../src/compose/state-store.js';

export interface InitArgs {
  readonly redisUrl: string;
  readonly registry: Registry;
  readonly beatMs: number;
  readonly ttlMs: number;
  readonly answer: 'auto' | 'never';
  readonly talkMs: number;
  /** Reconcile agents of dead nodes' calls with this FreeSWITCH (inbound ESL) every reconcileMs. */
  readonly esl?: { readonly port: number; readonly password: string; readonly reconcileMs: number };
}

export interface AssignmentRecord {
  readonly callId: string;
  readonly agentId: string;
  /** when the session heard of it (this process's clock) */
  readonly assignedAt: number;
  /** when the node rang the agent, as the ACD's own 'assigned' event says (set before the ring step: not delayed by a pause after it) */
  ringAt?: number;
  /** when the dispatcher reserved the agent (its clock: the same machine's) */
  reservedAt?: number;
  endAt?: number;
}

/** A caller put back in line by its node: when, and why (resync, peer-reaped, sweep, or the log message). */
export interface Requeue { readonly at: number; readonly why: string }

/** A reservation this node's dispatcher made (any caller's, its own or a peer's), at Redis's TIME (ms). */
export interface ReservationRecord { readonly callId: string; readonly agentId: string; readonly at: number }

/** A reap this node ran that found dead nodes (by id): when it logged it. */
export interface ReapRecord { readonly at: number; readonly nodes: readonly string[] }

/** A beat of this node that found its heartbeat gone (reaped while alive): when, and how long the store had heard nothing from it. */
export interface ReapedWhileAlive { readonly at: number; readonly silentMs: number }

export interface Report {
  readonly nodeId: string;
  readonly assignments: AssignmentRecord[];
  /** ACD calls that failed (by error code or name) */
  readonly failures: Record<string, number>;
  readonly warnings: Record<string, number>;
  readonly requeued: Record<string, Requeue[]>;
  readonly reaps: ReapRecord[];
  readonly reservations: ReservationRecord[];
  readonly reapedWhileAlive: ReapedWhileAlive[];
  /** CPU this process used so far (user + system) */
  readonly cpuMs: number;
  /** longest time the event loop was held up (its own work, or the process not running), ms */
  readonly loopDelayMaxMs: number;
  readonly storeConnected: boolean;
  readonly beats: BeatStats | undefined;
}

type Request = { id: number; cmd: string; args?: unknown };

let acd: AcdService | undefined;
let live: RedisLiveCalls | undefined;
let nodeId = '';
let init: InitArgs | undefined;
const assignments: AssignmentRecord[] = [];
/** ring times from the ACD's events, by call (the notice follows the event in the same turn) */
const ringTimes = new Map<string, { ringAt: number; reservedAt: number }>();
let served = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const failures: Record<string, number> = {};
/** the ACD's warnings by message (expected under faults; counted for the report) */
const warnings: Record<string, number> = {};
/** when this node put a caller back in line after the store lost it (reaped, reservation lost), by call */
const requeued: Record<string, Requeue[]> = {};
const reaps: ReapRecord[] = [];
const reservations: ReservationRecord[] = [];
const reapedWhileAlive: ReapedWhileAlive[] = [];
/** ROUTER_NODE_TRACE=1: warnings to stderr as they happen, to follow one call through a fault test */
const trace = process.env.ROUTER_NODE_TRACE === '1';
const closers: (() => Promise<void>)[] = [];

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error';
}

function fail(err: unknown): void {
  const c = codeOf(err);
  failures[c] = (failures[c] ?? 0) + 1;
}

function onNotice(callId: string, n: QueueNotice): void {
  if (n.kind !== 'assigned' || acd === undefined || init === undefined) return;
  const rec: AssignmentRecord = { callId, agentId: n.agent.id, assignedAt: Date.now() };
  const t = ringTimes.get(callId);
  if (t !== undefined) {
    rec.ringAt = t.ringAt;
    rec.reservedAt = t.reservedAt;
  }
  ringTimes.delete(callId);
  assignments.push(rec);
  if (init.answer === 'never') return;
  const a = acd;
  const talkMs = init.talkMs;
  setImmediate(() => {
    a.agentAnswered(callId, rec.agentId).then(() => {
      setTimeout(() => {
        rec.endAt = Date.now();
        served += 1;
        a.conversationEnded(callId, rec.agentId).catch(fail);
      }, talkMs);
    }, fail);
  });
}

async function handle(cmd: string, args: unknown): Promise<unknown> {
  if (cmd === 'init') {
    init = args as InitArgs;
    const client = await connectRedis(init.redisUrl);
    const sub = await connectRedis(init.redisUrl);
    const beats = await connectRedis(init.redisUrl);
    const store = new RedisAcdStore(client, { ownsClient: true });
    // Every reservation, kept or lost later (a reap, an expiry): while a caller has one it is out
    // of the line, which the chaos test's seniority audit needs to know.
    const reserve = store.reserveAgent.bind(store);
    store.reserveAgent = async (req) => {
      const r = await reserve(req);
      if (r.ok) reservations.push({ callId: req.callId, agentId: req.agentId, at: r.at ?? Date.now() });
      return r;
    };
    const bus = new RedisBus(client, sub);
    nodeId = newNodeId();
    const clock = { now: () => Date.now() };
    acd = new AcdService({
      store, registry: init.registry, clock, timers: new NodeTimers(clock),
      cluster: { nodeId, bus, registry: new RedisNodeRegistry(client, undefined, beats), beatMs: init.beatMs, ttlMs: init.ttlMs },
      log: { warn: (o, m) => {
        warnings[m] = (warnings[m] ?? 0) + 1;
        const callId = (o as { callId?: unknown }).callId;
        const why = (o as { why?: unknown }).why;
        if (typeof callId === 'string' && /re-queued|agent freed/.test(m)) (requeued[callId] ??= []).push({ at: Date.now(), why: typeof why === 'string' ? why : m });
        const f = o as { nodes?: unknown; heartbeatLost?: unknown; silentMs?: unknown };
        if (Array.isArray(f.nodes) && m === 'cluster: reaped dead nodes') reaps.push({ at: Date.now(), nodes: f.nodes.map(String) });
        if (f.heartbeatLost === true) reapedWhileAlive.push({ at: Date.now(), silentMs: typeof f.silentMs === 'number' ? f.silentMs : 0 });
        if (trace) process.stderr.write(`${Date.now()} ${nodeId} ${m} ${JSON.stringify(o)}\n`); }, error: (o, m) => { failures[`log:${m}`] = (failures[`log:${m}`] ?? 0) + 1; } },
      observer: { onAcdEvent: (e) => { if (e.type === 'assigned') ringTimes.set(e.callId, { ringAt: e.at, reservedAt: e.reservedAt ?? e.at }); } },
    });
    await acd.start();
    live = new RedisLiveCalls(client);
    closers.push(() => bus.close(), () => store.close(), async () => { await beats.quit(); });
    if (init.esl !== undefined) {
      const logger = createLogger({ level: 'silent' });
      const inbound = new InboundEslClient({ host: '127.0.0.1', port: init.esl.port, password: init.esl.password, logger });
      await inbound.connect();
      const stop = reconcileAgentCallsEvery({
        store, directory: live, probe: new EslChannelProbe(inbound), clock, logger,
        wrapUpSeconds: (q) => init?.registry.queues[q]?.wrapUpSeconds ?? 0,
        wrapUpEnds: (id, until) => { acd?.endWrapUpAt(id, until); }, // as compose/router.ts wires it
      }, new NodeTimers(clock), init.esl.reconcileMs);
      closers.unshift(async () => { stop(); await inbound.close(); });
    }
    return nodeId;
  }
  if (acd === undefined) throw new Error('init first');
  const a = acd;
  switch (cmd) {
    case 'ready': {
      const ids = args as string[];
      await Promise.all(ids.map(async (id) => {
        try {
          // Only an agent at its desk and idle: one on a call is left alone.
          const v = await a.agent(id);
          if (v.status === 'logged-out') await a.login(id);
          if (v.status === 'logged-out' || v.status === 'not-ready') await a.ready(id);
        } catch (err) {
          fail(err);
        }
      }));
      return null;
    }
    case 'enqueue': {
      const calls = args as { callId: string; priority: number; seniority?: number }[];
      const rejected: { callId: string; code: string }[] = [];
      await Promise.all(calls.map((c) => a.enqueue({ callId: c.callId, queueId: 'general', priority: c.priority, line: '12345',
        ...(c.seniority === undefined ? {} : { seniority: c.seniority }) }, (n) => { onNotice(c.callId, n); })
        .catch((err: unknown) => {
          rejected.push({ callId: c.callId, code: codeOf(err) });
          // What the call session does on a failed enqueue: it releases the call to the dialplan,
          // telling the ACD the caller left (an entry written before the failure goes with it).
          a.callerLeft(c.callId).catch(fail);
        })));
      return rejected;
    }
    case 'status': {
      const ids = args as string[];
      return Promise.all(ids.map((id) => a.status(id)));
    }
    case 'tick':
      await a.tick();
      return null;
    case 'live-call': {
      // What the call session's tracker writes when the agent answers (its FreeSWITCH legs).
      const c = args as { callId: string; callerUuid: string; agentUuid: string; agentId: string; freeswitch?: string };
      await live?.put({ callSid: c.callId, node: nodeId, callerUuid: c.callerUuid, agentUuid: c.agentUuid, agentId: c.agentId, freeswitch: c.freeswitch });
      return null;
    }
    case 'report':
      return { nodeId, assignments, failures, warnings, requeued, reaps, reservations, reapedWhileAlive, cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000), loopDelayMaxMs: Math.round(loopDelay.max / 1e6), storeConnected: a.storeConnected, beats: a.beatStats } satisfies Report;
    case 'served':
      return served;
    case 'stop':
      await a.stop();
      for (const c of closers) await c();
      setImmediate(() => process.exit(0));
      return null;
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

process.on('message', (m: Request) => {
  handle(m.cmd, m.args).then(
    (value) => process.send?.({ id: m.id, ok: true, value }),
    (err: unknown) => process.send?.({ id: m.id, ok: false, error: { code: codeOf(err), message: String(err) } }),
  );
});
// The parent went away: so do we (never leave a node behind).
process.on('disconnect', () => process.exit(0));
