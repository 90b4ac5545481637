/**
 * The extension every hotline number falls into when the router cannot take the call: the
 * `socket` application could not connect, or the router dropped the connection without hanging
 * up. It still reaches a human (docs/architecture.md): the 7×24 pool rings together (in groups of
 * FALLBACK_RING_GROUP), then everyone else.
 */
import { comment, element, type XmlNode } from './xml.js';
import type { FallbackPlan } from './plan.js';

export const FALLBACK_EXTENSION = 'hotline-fallback';

export interface FallbackInput {
  readonly plan: FallbackPlan;
  readonly poolQueue: string;
  readonly ringSeconds: number;
  readonly holdMusic: string;
  readonly goodbye: string | undefined;
}

const action = (application: string, data?: string): XmlNode =>
  element('action', data === undefined ? { application } : { application, data });

/**
 * Agents rung together in one group; a larger stage rings its groups in turn (`|`: the next group
 * once the one before has not answered). Two limits make a bound necessary: one originate takes
 * at most 128 dial strings (MAX_PEERS in switch_ivr_originate.c; past it the rest stays one broken
 * string: "Error creating HANDLE!"), and every phone rung is a leg with its own RTP ports, so a
 * fallback caller ringing a 160-seat pool took 160 legs — a handful of them used up the switch's
 * RTP range and every other call was refused (488) while the router shed load.
 */
export const FALLBACK_RING_GROUP = 32;

function bridgeStage(label: string, dials: readonly string[]): XmlNode[] {
  if (dials.length === 0) return [comment(`${label}: none in the registry, stage skipped`)];
  const groups: string[] = [];
  for (let i = 0; i < dials.length; i += FALLBACK_RING_GROUP) groups.push(dials.slice(i, i + FALLBACK_RING_GROUP).join(','));
  const how = groups.length === 1 ? 'rung simultaneously (dial strings joined with ",")'
    : `rung ${FALLBACK_RING_GROUP} at a time ("," joins a group, "|" moves to the next when nobody answers)`;
  return [
    comment(`${label}: ${dials.length} agent(s), ${how}`),
    // Our own ringback (hold music) instead of whatever early media an agent's phone sends.
    action('bridge', `{ignore_early_media=true}${groups.join('|')}`),
  ];
}

export function fallbackExtension(input: FallbackInput): XmlNode[] {
  const { plan } = input;
  return [
    comment([
      'Router unreachable fallback. Run by `execute_extension` right after `socket` in every extension',
      'above, so it runs when FreeSWITCH could not connect to the router, and also when the',
      'router closed the connection without hanging the caller up (a router crash mid-call).',
      'The router therefore always hangs up or transfers a call it is done with.',
      '',
      'The second condition keeps this extension from being dialed directly from outside:',
      'only a call that went through a hotline extension has ${hotline_line} set.',
    ].join('\n')),
    element('extension', { name: FALLBACK_EXTENSION }, [
      element('condition', { field: 'destination_number', expression: `^${FALLBACK_EXTENSION}$` }),
      // The router died during or after a conversation (switch_ivr_bridge.c set last_bridge_to
      // when the agent answered): nobody is left to run the survey, and ringing the pool would
      // hand a served caller to a second agent. The call is over.
      element('condition', { field: '${last_bridge_to}', expression: '^$' }, [
        element('anti-action', { application: 'log', data: 'WARNING hotline router gone after the conversation: call to ${hotline_line} ends' }),
        element('anti-action', { application: 'hangup', data: 'NORMAL_CLEARING' }),
      ]),
      element('condition', { field: '${hotline_line}', expression: '^[0-9]+$' }, [
        action('log', 'WARNING hotline router unreachable: call to ${hotline_line} from ${caller_id_number} goes to the 7x24 fallback'),
        action('set', 'hotline_fallback=true'),
        comment('Nobody is left to run the survey: once an agent hangs up, the call is over.\npark_after_bridge wins over hangup_after_bridge in switch_ivr_bridge.c, so clear it.'),
        action('set', 'park_after_bridge=false'),
        action('set', 'hangup_after_bridge=true'),
        action('set', 'continue_on_fail=true'),
        action('answer'),
        comment('Hold music while the agents ring: ringback for early media, transfer_ringback once answered.'),
        action('set', `ringback=${input.holdMusic}`),
        action('set', `transfer_ringback=${input.holdMusic}`),
        action('set', 'instant_ringback=true'),
        action('set', `call_timeout=${input.ringSeconds}`),
        ...bridgeStage(`7x24 pool (queue ${input.poolQueue})`, plan.pool),
        ...bridgeStage('remaining agents', plan.others),
        comment('Nobody answered: say goodbye politely rather than drop the line.'),
        ...(input.goodbye === undefined ? [] : [action('playback', input.goodbye)]),
        action('hangup', 'NORMAL_CLEARING'),
      ]),
    ]),
  ];
}
