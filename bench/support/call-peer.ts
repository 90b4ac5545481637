/**
 * FreeSWITCH for bench/call-sessions.bench.ts: dials calls into the router's outbound socket
 * server as the `socket … async full` application (test/support/fs-peer), plays hold music until
 * `uuid_break`, answers every bridge at once (CHANNEL_BRIDGE, then the conversation lasts until
 * the caller hangs up) and reports when each `execute bridge` was read off its socket.
 * Used in the router's process or in a child of its own (./call-peer-child.ts).
 */
import { FsCore, FsOutboundCall, type AppBehaviour } from '../../test/support/fs-peer/index.js';

export interface BridgeRead {
  /** the call's channel uuid */
  uuid: string;
  /** the bridge's argument: `{…}` + the agent's dial string */
  arg: string;
  /** process.hrtime.bigint() when the sendmsg was read */
  t: bigint;
}

export class CallPeer {
  private readonly core = new FsCore('bench-fs');
  private readonly calls = new Map<string, FsOutboundCall>();
  private callerNo = 0;

  constructor(private readonly onBridge: (b: BridgeRead) => void) {}

  get size(): number {
    return this.calls.size;
  }

  /** `count` callers, at most `concurrency` between connect and hold music; resolves with how many never got there. */
  async dial(host: string, port: number, destination: string, count: number, concurrency: number): Promise<number> {
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next += 1;
        await this.dialOne(host, port, destination).catch(() => { failed += 1; });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return failed;
  }

  hangup(uuid: string): void {
    void this.calls.get(uuid)?.hangup();
  }

  /** Every caller still up hangs up; resolves once every socket is closed (or dropped after 5 s). */
  async hangupAll(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => new Promise<void>((resolve) => {
      if (c.closed) { resolve(); return; }
      const timer = setTimeout(() => { c.drop(); resolve(); }, 5000);
      c.once('close', () => { clearTimeout(timer); resolve(); });
      void c.hangup();
    })));
  }

  /** One caller; resolves once its hold music started. */
  private async dialOne(host: string, port: number, destination: string): Promise<void> {
    let breakHold: (() => void) | undefined;
    let held!: () => void;
    const onHold = new Promise<void>((resolve) => { held = resolve; });
    const call = await FsOutboundCall.dial({
      host, port, core: this.core,
      profile: { destination, callerNumber: `138${String(10_000_000 + (this.callerNo += 1)).slice(-8)}` },
      api: (command) => {
        if (command === 'uuid_break') {
          breakHold?.();
          return Promise.resolve('+OK\n');
        }
        return Promise.resolve(command === 'status' ? 'UP\n' : undefined);
      },
    });
    this.calls.set(call.uuid, call);
    call.on('close', () => this.calls.delete(call.uuid));
    call.lifecycle.on('executed', (app, arg) => {
      if (app === 'bridge') this.onBridge({ uuid: call.uuid, arg, t: process.hrtime.bigint() });
    });
    const playback: AppBehaviour = async (ctx) => {
      ctx.fire('PLAYBACK_START', [['Playback-File-Path', ctx.arg]]);
      if (ctx.arg.startsWith('local_stream://')) {
        held();
        await Promise.race([ctx.hungUp, new Promise<void>((resolve) => { breakHold = resolve; })]);
        breakHold = undefined;
      }
      ctx.fire('PLAYBACK_STOP', [['Playback-File-Path', ctx.arg], ['Playback-Status', 'done']]);
      return 'FILE PLAYED';
    };
    const vars = (call.profile.variables ??= {});
    const bridge: AppBehaviour = async (ctx) => {
      ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Bridge-B-Unique-ID', `agent-${call.uuid}`]]);
      await ctx.hungUp;
      vars['bridge_hangup_cause'] = 'NORMAL_CLEARING';
      return undefined;
    };
    call.app('playback', playback).app('bridge', bridge);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('no hold music within 30 s')), 30_000); });
    try {
      await Promise.race([onHold, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
