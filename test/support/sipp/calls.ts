/** The call shapes the e2e suites place: a caller against FreeSWITCH's carrier profile, agents as sipp UASes. */
import type { Stack, E2eAgent } from '../freeswitch/stack.js';
import { startSipp, untilListening, type SippHandle } from './sipp.js';

export interface CallerOptions {
  readonly number: string;
  readonly scenario?: 'caller-waits-for-bye.xml' | 'caller-survey-dtmf.xml' | 'caller-abandons.xml';
  readonly vars?: Readonly<Record<string, string | number>>;
  readonly limitMs?: number;
  readonly label?: string;
}

export class SippCalls {
  private readonly handles: SippHandle[] = [];

  constructor(private readonly bin: string, private readonly stack: Stack) {}

  /** An agent phone at the port its registry dial string names; answers one call. */
  async agent(id: E2eAgent, talkMs: number, limitMs = 40_000): Promise<SippHandle> {
    const port = this.stack.agentPorts[id];
    const h = await startSipp(this.bin, {
      scenario: 'agent-answers-talks-hangs-up.xml', vars: { TALK_MS: talkMs }, port, limitMs, work: this.stack.work, label: `agent${id}`,
    });
    this.handles.push(h);
    await untilListening(h, port);
    return h;
  }

  async caller(o: CallerOptions): Promise<SippHandle> {
    const h = await startSipp(this.bin, {
      scenario: o.scenario ?? 'caller-waits-for-bye.xml', vars: o.vars ?? {},
      dial: { number: o.number, host: '127.0.0.1', port: this.stack.fs.ports.carrierSip },
      limitMs: o.limitMs ?? 40_000, work: this.stack.work, label: o.label ?? `caller${o.number}`,
    });
    this.handles.push(h);
    return h;
  }

  /** Kills whatever is still running (a failed test must not leave sipp behind). */
  async killAll(): Promise<void> {
    await Promise.all(this.handles.splice(0).map((h) => h.kill()));
  }
}
