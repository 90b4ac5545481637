/**
 * A 12345 caller dialled in as FreeSWITCH's `socket` application whose call an agent answers:
 * hold music plays until the router's `uuid_break`, the bridge reports the agent's leg
 * (`Other-Leg-Unique-ID`, which the router takes for the agent) and lasts until the caller hangs
 * up, and a transfer's `park` holds the caller the same way. `api status` answers UP.
 */
import type { AppBehaviour } from './apps.js';
import { untilHangup } from './apps.js';
import type { FsCore } from './events.js';
import { FsOutboundCall } from './outbound-call.js';

export interface AnsweredCallerOptions {
  readonly host: string;
  readonly port: number;
  /** the switch the call comes from (its Core-UUID and switchname), when several */
  readonly core?: FsCore;
  /** the agent leg's uuid the bridge reports */
  readonly agentLeg: string;
}

export async function dialAnsweredCaller(o: AnsweredCallerOptions): Promise<FsOutboundCall> {
  let breakHold: (() => void) | undefined;
  const holdMusic: AppBehaviour = async (ctx) => {
    if (!ctx.arg.startsWith('local_stream://')) return 'FILE PLAYED';
    await Promise.race([ctx.hungUp, new Promise<void>((resolve) => { breakHold = resolve; })]);
    return 'FILE PLAYED';
  };
  const call = await FsOutboundCall.dial({
    host: o.host, port: o.port, ...(o.core === undefined ? {} : { core: o.core }),
    profile: { destination: '12345', callerNumber: '13812345678' },
    api: (command) => {
      if (command === 'uuid_break') { breakHold?.(); return Promise.resolve('+OK\n'); }
      return Promise.resolve(command === 'status' ? 'UP\n' : undefined);
    },
  });
  const bridge: AppBehaviour = async (ctx) => {
    ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Other-Leg-Unique-ID', o.agentLeg]]);
    await untilHangup(ctx);
    return undefined;
  };
  call.app('playback', holdMusic).app('bridge', bridge).app('park', untilHangup);
  return call;
}
