import type { Headers } from './framing.js';

/** What a simulated dialplan application sees. */
export interface AppContext {
  app: string;
  arg: string;
  /** Resolves when the channel hangs up (an application is interrupted by hangup). */
  hungUp: Promise<void>;
  /** Fires a channel event (channel headers are added). */
  fire(name: string, headers?: Headers, body?: string): void;
  answer(): void;
  hangup(cause: string): Promise<void>;
  setVariable(name: string, value: string): void;
}

/** Resolves with the Application-Response, or undefined for `_none_`. */
export type AppBehaviour = (ctx: AppContext) => Promise<string | undefined> | string | undefined;

/** An application that runs until the channel hangs up (hold music, park, a long bridge). */
export const untilHangup: AppBehaviour = async (ctx) => {
  await ctx.hungUp;
  return undefined;
};

/** Defaults close enough to FreeSWITCH's for the router's flows; tests override per call. */
export const defaultApps: Record<string, AppBehaviour> = {
  answer: (ctx) => {
    ctx.answer();
    return undefined;
  },
  pre_answer: () => undefined,
  set: (ctx) => {
    const eq = ctx.arg.indexOf('=');
    if (eq > 0) ctx.setVariable(ctx.arg.slice(0, eq), ctx.arg.slice(eq + 1));
    return undefined;
  },
  export: (ctx) => {
    const eq = ctx.arg.indexOf('=');
    if (eq > 0) ctx.setVariable(ctx.arg.slice(0, eq), ctx.arg.slice(eq + 1));
    return undefined;
  },
  playback: (ctx) => {
    ctx.fire('PLAYBACK_START', [['Playback-File-Path', ctx.arg]]);
    ctx.fire('PLAYBACK_STOP', [['Playback-File-Path', ctx.arg], ['Playback-Status', 'done']]);
    return 'FILE PLAYED';
  },
  hangup: async (ctx) => {
    await ctx.hangup(ctx.arg === '' ? 'NORMAL_CLEARING' : ctx.arg);
    return undefined;
  },
  bridge: (ctx) => {
    ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', 'self'], ['Other-Leg-Destination-Number', ctx.arg]]);
    return undefined;
  },
  park: untilHangup,
};
