/**
 * The FreeSWITCH bench's configuration, as text: one set of agents (sipp UAS user parts on one
 * port) given both to the router (registry) and to mod_callcenter (callcenter.conf.xml), and the
 * dialplan the carrier profile runs — the router's generated one plus two bench numbers: one
 * into mod_callcenter's queue, one a dialplan-only answer/playback/hang-up baseline.
 */
import { PROMPTS_YAML } from '../../../test/support/registry-prompts.js';

export const ROUTER_NUMBER = '12345';
export const CALLCENTER_NUMBER = '22345';
export const BASELINE_NUMBER = '32345';
export const CALLCENTER_QUEUE = 'bench@default';

/** Agent ids 2001, 2002…: the user part of each agent's SIP URI on the agents' sipp. */
export function agentIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(2001 + i));
}

export function agentDial(id: string, sippPort: number): string {
  return `sofia/hotline-agents/sip:${id}@127.0.0.1:${sippPort}`;
}

/**
 * The router's registry: one queue, wrap-up 0, no announcements, a queue long enough for every
 * bench caller and a wait longer than any step (the same as the mod_callcenter queue below).
 */
export function benchRegistry(ids: readonly string[], sippPort: number): string {
  const agents = ids.map((id) => `  - { id: "${id}", name: 坐席${id}, dial: "${agentDial(id, sippPort)}", skills: { general: 5 }, queues: [general] }`);
  return [
    'version: 1',
    'hotline: { number: "12345", region: 基准市, queue: general, poolQueue: pool, shortAbandonSeconds: 1 }',
    'lines: []',
    'queues:',
    '  general: { name: 综合受理, skills: [general], schedule: always, maxWaitSeconds: 3600, maxLength: 5000, wrapUpSeconds: 0, overflow: pool, announceEverySeconds: 0, ringSeconds: 10 }',
    '  pool: { name: 兜底, schedule: always, maxWaitSeconds: 3600, maxLength: 5000, wrapUpSeconds: 0, announceEverySeconds: 0, ringSeconds: 10 }',
    'agents:',
    ...agents,
    'schedules:',
    '  always: { alwaysOpen: true }',
    ...PROMPTS_YAML,
    '',
  ].join('\n');
}

/**
 * mod_callcenter as fairly as it goes: longest-idle-agent, wrap-up and every delay 0, the same
 * hold music, agents as callbacks straight to the sipp contacts (no registration lookup), all
 * logged out until a bench row makes some Available.
 */
export function callcenterConf(ids: readonly string[], sippPort: number): string {
  const agents = ids.map((id) => `    <agent name="${id}@default" type="callback" contact="[leg_timeout=10]${agentDial(id, sippPort)}" status="Logged Out" max-no-answer="0" wrap-up-time="0" reject-delay-time="0" busy-delay-time="0" no-answer-delay-time="0"/>`);
  const tiers = ids.map((id) => `    <tier agent="${id}@default" queue="${CALLCENTER_QUEUE}" level="1" position="1"/>`);
  return [
    '<configuration name="callcenter.conf" description="CallCenter">',
    '  <settings/>',
    '  <queues>',
    `    <queue name="${CALLCENTER_QUEUE}">`,
    '      <param name="strategy" value="longest-idle-agent"/>',
    '      <param name="moh-sound" value="local_stream://moh"/>',
    '      <param name="time-base-score" value="system"/>',
    '      <param name="max-wait-time" value="0"/>',
    '      <param name="max-wait-time-with-no-agent" value="0"/>',
    '      <param name="max-wait-time-with-no-agent-time-reached" value="5"/>',
    '      <param name="tier-rules-apply" value="false"/>',
    '      <param name="discard-abandoned-after" value="60"/>',
    '      <param name="abandoned-resume-allowed" value="false"/>',
    '    </queue>',
    '  </queues>',
    '  <agents>',
    ...agents,
    '  </agents>',
    '  <tiers>',
    ...tiers,
    '  </tiers>',
    '</configuration>',
    '',
  ].join('\n');
}

/** The router's generated hotline context with the two bench numbers in front. */
export function benchDialplan(generated: string, baselineFile: string): string {
  const open = '<context name="hotline">';
  if (!generated.includes(open)) throw new Error('generated dialplan has no hotline context');
  const extensions = [
    `    <extension name="bench-callcenter">`,
    `      <condition field="destination_number" expression="^${CALLCENTER_NUMBER}$">`,
    `        <action application="callcenter" data="${CALLCENTER_QUEUE}"/>`,
    '        <action application="hangup"/>',
    '      </condition>',
    '    </extension>',
    `    <extension name="bench-baseline">`,
    `      <condition field="destination_number" expression="^${BASELINE_NUMBER}$">`,
    '        <action application="answer"/>',
    `        <action application="playback" data="${baselineFile}"/>`,
    '        <action application="hangup"/>',
    '      </condition>',
    '    </extension>',
  ];
  return generated.replace(open, `${open}\n${extensions.join('\n')}`);
}
