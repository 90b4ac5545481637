/**
 * The caller hangs up at every step of the call machine, against the FreeSWITCH peer over a real
 * socket: the router's OutboundEslServer, CallChannel, EslMediaControl and CallManager. Run by
 * hangup-child.ts under `node --unhandled-rejections=strict`: a promise nobody observes ends that
 * process, which the test sees.
 *
 * Three timings per step:
 * - in-flight: FreeSWITCH fires CHANNEL_HANGUP after taking the command and before its reply
 *   (the reply still comes, afterwards) — the window of issue 15's crash;
 * - running:   the caller hangs up while the application runs (a prompt playing, the agent ringing);
 * - drop:      the socket is cut abruptly instead of answering the command (no CHANNEL_HANGUP at all).
 */
import type { CallChannel } from '../../../src/adapters/esl/call-channel.js';
import { OutboundEslServer } from '../../../src/adapters/esl/index.js';
import { EslMediaControl } from '../../../src/adapters/esl/media-control.js';
import type { EnqueueRequest, Enqueued, QueueNotice, WaitStatus } from '../../../src/app/acd/call-acd-port.js';
import { CallManager, FilePromptCatalog, callPolicy } from '../../../src/app/call/index.js';
import { MemoryCallRecordSink } from '../../../src/app/records/index.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { AppBehaviour } from '../../support/fs-peer/index.js';
import type { PeerCommand } from '../../support/fs-peer/framing.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';
import { ScriptedAcd, dialPeer } from './harness.js';

export type Timing = 'in-flight' | 'running' | 'drop';

/** Where the caller hangs up: a command reaching FreeSWITCH, or the ACD's enqueue being under way. */
export type Step =
  | { readonly kind: 'execute'; readonly app: string; readonly arg?: string }
  | { readonly kind: 'api'; readonly command: string }
  | { readonly kind: 'hangup-command' }
  | { readonly kind: 'enqueue' }
  | { readonly kind: 'bridged' }
  /** Bridged, then a three-party transfer took the caller's media over (CallManager.takeOver). */
  | { readonly kind: 'transfer' };

export interface Scenario {
  readonly name: string;
  /** The machine's phase when the caller hangs up. */
  readonly phase: string;
  readonly step: Step;
  readonly timing: Timing;
  /** What happens after the hold music starts: an agent is assigned, or the announcement comes round. */
  readonly drive: 'assign' | 'announce';
  readonly expect: { readonly outcome: string; readonly acd: readonly string[]; readonly survey?: string };
}

export interface ScenarioResult {
  readonly name: string;
  /** The session ended (its `finished` settled) and the call socket is closed. */
  readonly ended: boolean;
  readonly records: readonly { outcome: string; hangupCause: string | undefined; survey: string | undefined }[];
  readonly acd: readonly string[];
  /** Completions still awaited when the session ended (a hang-up fails them all). */
  readonly waitingAtEnd: number;
  /** Completions + replies still outstanding once the socket closed. */
  readonly pendingAfterClose: number;
  readonly sessionsLeft: number;
  readonly channelsLeft: number;
  readonly error?: string;
}

const ENQ = 'enqueue general 12345';
const TALKED = [ENQ, 'agentAnswered 1001', 'conversationEnded 1001'];
const WAITED = [ENQ, 'callerLeft'];

interface StepSpec {
  phase: string;
  step: Step;
  timings: readonly Timing[];
  drive?: 'assign' | 'announce';
  outcome: string;
  acd: readonly string[];
  survey?: string;
}

const STEPS: readonly StepSpec[] = [
  { phase: 'answering', step: { kind: 'execute', app: 'answer' }, timings: ['in-flight', 'running', 'drop'], outcome: 'left-before-queue', acd: [] },
  { phase: 'prompting', step: { kind: 'execute', app: 'playback', arg: '/prompts/welcome.wav' }, timings: ['in-flight', 'running', 'drop'], outcome: 'left-before-queue', acd: [] },
  { phase: 'enqueuing', step: { kind: 'enqueue' }, timings: ['running'], outcome: 'short-abandoned', acd: WAITED },
  { phase: 'queued (hold music)', step: { kind: 'execute', app: 'playback', arg: 'local_stream://moh' }, timings: ['in-flight', 'running', 'drop'], drive: 'announce', outcome: 'short-abandoned', acd: WAITED },
  { phase: 'queued (announcement)', step: { kind: 'execute', app: 'playback', arg: 'file_string://' }, timings: ['in-flight', 'running', 'drop'], drive: 'announce', outcome: 'abandoned', acd: WAITED },
  { phase: 'ringing-agent (break)', step: { kind: 'api', command: 'uuid_break' }, timings: ['in-flight', 'drop'], outcome: 'short-abandoned', acd: WAITED },
  { phase: 'ringing-agent', step: { kind: 'execute', app: 'bridge' }, timings: ['in-flight', 'running', 'drop'], outcome: 'short-abandoned', acd: WAITED },
  { phase: 'bridged', step: { kind: 'bridged' }, timings: ['running'], outcome: 'answered', acd: TALKED },
  { phase: 'bridged (transfer owns the call)', step: { kind: 'transfer' }, timings: ['running'], outcome: 'answered', acd: TALKED },
  { phase: 'survey', step: { kind: 'execute', app: 'play_and_get_digits' }, timings: ['in-flight', 'running', 'drop'], outcome: 'answered', acd: TALKED, survey: 'none' },
  { phase: 'ending (thanks)', step: { kind: 'execute', app: 'playback', arg: '/prompts/survey-thanks.wav' }, timings: ['in-flight', 'running', 'drop'], outcome: 'answered', acd: TALKED, survey: 'satisfied' },
  { phase: 'ending (hangup)', step: { kind: 'hangup-command' }, timings: ['in-flight', 'drop'], outcome: 'answered', acd: TALKED, survey: 'satisfied' },
];

export const SCENARIOS: readonly Scenario[] = STEPS.flatMap((s) => s.timings.map((timing): Scenario => ({
  name: `${s.phase} / ${timing}`, phase: s.phase, step: s.step, timing, drive: s.drive ?? 'assign',
  expect: { outcome: s.outcome, acd: s.acd, ...(s.survey !== undefined ? { survey: s.survey } : {}) },
})));

/** The ACD of the contract harness, whose enqueue can be held open and whose status announces a place. */
class StepAcd extends ScriptedAcd {
  holdEnqueue: (() => void) | undefined;
  private release: (() => void) | undefined;

  override enqueue(req: EnqueueRequest, listener: (n: QueueNotice) => void): Promise<Enqueued> {
    const result = super.enqueue(req, listener);
    if (this.holdEnqueue === undefined) return result;
    const hook = this.holdEnqueue;
    return new Promise<void>((resolve) => { this.release = resolve; hook(); }).then(() => result);
  }

  finishEnqueue(): void {
    this.release?.();
  }

  override status(): Promise<WaitStatus | null> {
    return Promise.resolve({ position: 2, estimatedWaitMinutes: 3 } as WaitStatus);
  }
}

function matches(step: Step, cmd: PeerCommand): boolean {
  const line = cmd.line.trim();
  if (step.kind === 'api') return line.startsWith(`api ${step.command} `);
  if (!line.startsWith('sendmsg')) return false;
  if (step.kind === 'hangup-command') return cmd.headers.get('call-command') === 'hangup';
  if (step.kind !== 'execute' || cmd.headers.get('execute-app-name') !== step.app) return false;
  return step.arg === undefined || (cmd.headers.get('execute-app-arg') ?? cmd.body ?? '').startsWith(step.arg);
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function runScenario(sc: Scenario): Promise<ScenarioResult> {
  const clock = new ManualClock(shanghai('2026-03-03 10:00'));
  const records = new MemoryCallRecordSink(10);
  const acd = new StepAcd();
  const registry = cityRegistry();
  const table = buildRoutingTable(registry);
  let n = 0;
  const manager = new CallManager({
    table: () => table, policy: callPolicy(registry, 5), ids: { next: (p) => `${p}-${++n}` },
    logger: createLogger({ level: 'silent' }), acd, timers: clock, clock, prompts: new FilePromptCatalog(registry.prompts, '/prompts'), records,
  });
  let channel: CallChannel | undefined;
  let waitingAtEnd = -1;
  let accepted: Promise<void> | undefined;
  const server = new OutboundEslServer({
    handler: (ch) => {
      channel = ch;
      accepted = manager.accept({ channelData: ch.channelData, media: new EslMediaControl(ch) }).finally(() => { waitingAtEnd = ch.pendingCompletions; });
      return accepted;
    },
    linger: 'forever',
  });
  const address = await server.listen();
  try {
    const { call, timeline, agentHangup } = await dialPeer(address, { bridge: 'answer', digit: '1' });
    let fired = false;
    const hangUpNow = (): Promise<void> => { fired = true; return call.hangup('NORMAL_CLEARING'); };
    const { step, timing } = sc;

    // The reply goes out only once the router has read the hang-up: two reads, as across a busy network.
    const routerSawHangup = (): Promise<void> => until(() => channel?.hungUp !== undefined, 'the router to see the hang-up');
    // The enqueue answers only well after the router has seen the hang-up (the caller left while a
    // slow store enqueued): the session is not over until the callerLeft queued behind it is done.
    if (step.kind === 'enqueue') {
      acd.holdEnqueue = () => {
        void hangUpNow().then(routerSawHangup).then(() => new Promise((resolve) => setTimeout(resolve, 50))).then(() => acd.finishEnqueue());
      };
    }
    if (timing === 'in-flight') {
      call.beforeReply = (cmd) => (!fired && matches(step, cmd) ? hangUpNow().then(routerSawHangup) : undefined);
    }
    if (timing === 'drop') call.dropWhen = (cmd) => !fired && matches(step, cmd) && (fired = true);
    if (timing === 'running' && step.kind === 'execute') {
      const inner = call.runner.apps[step.app];
      // The application is interrupted by the hang-up and completes after CHANNEL_HANGUP, as in FreeSWITCH.
      const during: AppBehaviour = async (ctx) => {
        if (fired || (step.arg !== undefined && !ctx.arg.startsWith(step.arg))) return inner?.(ctx);
        fired = true;
        void ctx.hangup('NORMAL_CLEARING');
        await ctx.hungUp;
        return undefined;
      };
      call.app(step.app, during);
    }
    call.on('close', () => { fired = true; });

    // Drive the call until the step is reached.
    await until(() => fired || timeline.includes('playback local_stream://moh'), 'hold music');
    if (!fired && sc.drive === 'announce') {
      await clock.tick(30_000);
    } else if (!fired) {
      acd.assign('call-1');
      await until(() => fired || timeline.some((l) => l.startsWith('bridge ')), 'bridge');
      await until(() => fired || acd.calls.includes('agentAnswered 1001'), 'agent answered');
      if (!fired && step.kind === 'transfer') manager.takeOver('call-1');
      if (!fired && (step.kind === 'bridged' || step.kind === 'transfer')) await hangUpNow();
      else if (!fired) agentHangup();
    }
    await until(() => fired, `the step ${sc.name}`);
    await accepted;
    await until(() => channel?.isOpen === false, 'the call socket to close');
    for (let i = 0; i < 3; i += 1) await tick();
    return {
      name: sc.name, ended: true, acd: acd.calls, waitingAtEnd, pendingAfterClose: channel?.pendingCommands ?? -1,
      records: records.all().map((r) => ({ outcome: r.outcome, hangupCause: r.hangupCause, survey: r.survey })),
      sessionsLeft: manager.active, channelsLeft: server.activeChannels,
    };
  } catch (err) {
    return {
      name: sc.name, ended: false, acd: acd.calls, waitingAtEnd, pendingAfterClose: -1, records: [], sessionsLeft: manager.active,
      channelsLeft: server.activeChannels, error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    await server.close();
  }
}
