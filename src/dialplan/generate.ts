/**
 * generateDialplan(registry, options): the FreeSWITCH XML dialplan for the hotline context,
 * one extension per dialable number, each handing the call to the router over an outbound
 * socket, and one fallback that still reaches a human when the router cannot.
 * Pure: no I/O; `hotline dialplan` writes the files.
 */
import type { Registry } from '../config/schema.js';
import { callerLegSettings, settingsApplications } from './caller-leg.js';
import { edgeGuardExtension } from './edge-guard.js';
import { FALLBACK_EXTENSION, fallbackExtension } from './fallback.js';
import { fallbackPlan, numberEntries, promptLocation, type NumberEntry } from './plan.js';
import { blank, comment, element, renderDocument, type XmlNode } from './xml.js';

export interface DialplanOptions {
  /** Where the router's outbound-socket server listens (OUTBOUND_HOST/OUTBOUND_PORT). */
  readonly routerHost?: string;
  readonly routerPort?: number;
  /** The context the carrier SIP profile delivers calls into. */
  readonly context?: string;
  /** Where the WAVs of `hotline prompts` are installed on the FreeSWITCH host. */
  readonly promptsDir?: string;
  /** call_timeout of each fallback ring stage, seconds. */
  readonly fallbackRingSeconds?: number;
}

export interface DialplanFile { readonly name: string; readonly xml: string }
export interface Dialplan { readonly files: readonly DialplanFile[] }

export const DIALPLAN_DEFAULTS = {
  routerHost: '127.0.0.1',
  routerPort: 8084,
  context: 'hotline',
  promptsDir: '$${sounds_dir}/hotline',
  fallbackRingSeconds: 30,
} as const;

const MODE_NOTE: Record<NumberEntry['mode'], string> = {
  hotline: '12345 itself: the hotline queue',
  merged: '整体并入 merged: the router plays the transition prompt until its end date, then queues',
  dual: '双号并行 dual: the line\'s own queue inside the unified pool',
  subcenter: '设分中心 sub-center: its own seats while open, else the 7x24 pool',
};

/**
 * What runs the fallback once `socket` returns. execute_extension runs the extension's actions
 * only while the channel is ready (switch_core_session.c switch_core_session_execute_exten), so a
 * `socket` that returned because the router is moving the caller elsewhere runs none of them.
 */
export const AFTER_SOCKET_APPLICATION = 'execute_extension';

const action = (application: string, data: string): XmlNode => element('action', { application, data });

function numberExtension(entry: NumberEntry, registry: Registry, socketData: string, context: string): XmlNode[] {
  const vars: [string, string][] = [
    ['hotline_line', entry.number],
    ['hotline_mode', entry.mode],
    ['hotline_line_name', entry.name],
    ['hotline_region', registry.hotline.region],
  ];
  if (registry.hotline.regionCode !== undefined) vars.push(['hotline_region_code', registry.hotline.regionCode]);
  if (entry.department !== undefined) vars.push(['hotline_department', entry.department]);
  return [
    blank,
    comment(`${entry.number} ${entry.name} (${MODE_NOTE[entry.mode]})`),
    element('extension', { name: `hotline-${entry.number}` }, [
      // Carriers deliver either the national form or E.164 with +86; both mean this line.
      element('condition', { field: 'destination_number', expression: `^(?:\\+86)?${entry.number}$` }, [
        // docs/operations.md#freeswitch: the caller leg must outlive the agent's hang-up (survey,
        // re-queue, transfer) — hangup_after_bridge=false, never park_after_bridge=true — and
        // the rest of ./caller-leg.ts, all in one application (why: there).
        ...settingsApplications([...vars, ...callerLegSettings()]).map(([app, data]) => action(app, data)),
        action('socket', socketData),
        // Not `transfer`: see SOCKET_EVIDENCE (a uuid_transfer racing it lost the caller).
        action(AFTER_SOCKET_APPLICATION, `${FALLBACK_EXTENSION} XML ${context}`),
      ]),
    ]),
  ];
}

const SOCKET_EVIDENCE = [
  'Why the fallback after `socket` works (FreeSWITCH 1.10.12 source):',
  '- mod_event_socket.c socket_function(): when no host accepts the TCP connection it logs',
  '  "Socket Error!" and returns; it does not hang the channel up or change its state.',
  '- switch_core_state_machine.c switch_core_standard_on_execute(): the next action runs while',
  '  the channel is still in CS_EXECUTE (the app returned normally), so the dialplan continues.',
  '- When the router closes an established connection, the listener clears CF_CONTROLLED, the',
  '  park inside socket_function() ends and the dialplan likewise continues with the fallback.',
  '  A bridge in progress survives that; it then returns into the same ended park, so the',
  '  caller reaches the fallback, which hangs up a caller who already talked to an agent.',
  '  That is why no park_after_bridge here: it would park the caller with nobody in control.',
  'Why execute_extension and not transfer: the router moves callers with uuid_transfer.',
  '  switch_ivr.c switch_ivr_session_transfer() sets CF_TRANSFER (the channel is no longer',
  '  ready, so the park inside socket_function() ends) before it sets CS_ROUTING. In between,',
  '  switch_core_standard_on_execute() still sees CS_EXECUTE and runs the next action; a',
  '  `transfer` there wrote its own destination after the router\'s, and a caller being moved',
  '  into a consult conference was hung up by the fallback instead. execute_extension runs',
  '  nothing on a channel that is not ready (switch_core_session_execute_exten).',
  '`socket` also accepts several routers separated by "|", tried in order.',
].join('\n');

export function generateDialplan(registry: Registry, options: DialplanOptions = {}): Dialplan {
  const o = { ...DIALPLAN_DEFAULTS, ...options };
  const socketData = `${o.routerHost}:${o.routerPort} async full`;
  const entries = numberEntries(registry);
  const prompts = registry.prompts;
  const fallback = fallbackExtension({
    plan: fallbackPlan(registry),
    poolQueue: registry.hotline.poolQueue,
    ringSeconds: o.fallbackRingSeconds,
    holdMusic: promptLocation(prompts['hold'], 'hold', o.promptsDir) ?? 'local_stream://moh',
    goodbye: promptLocation(prompts['goodbye'], 'goodbye', o.promptsDir),
  });
  const xml = renderDocument([
    comment([
      `Generated by \`hotline dialplan\` from the registry of ${registry.hotline.region} ${registry.hotline.number}. Do not edit:`,
      'change the registry and generate again. Install as conf/dialplan/hotline.xml (see',
      'freeswitch-conf/README.md); the carrier SIP profile delivers calls into this context.',
      '',
      `Each number hands its call to the router: socket ${socketData}`,
      '(`full` so the router may use api/bgapi/event; `async` so the router\'s commands queue).',
      'Emergency numbers 110/119/120/122 have no extension here on purpose: the carrier routes',
      'them to the emergency centres, never to 12345.',
      '',
      SOCKET_EVIDENCE,
    ].join('\n')),
    element('include', {}, [
      element('context', { name: o.context }, [
        ...edgeGuardExtension(),
        ...entries.flatMap((e) => numberExtension(e, registry, socketData, o.context)),
        blank,
        ...fallback,
      ]),
    ]),
  ]);
  return { files: [{ name: `${o.context}.xml`, xml }] };
}
