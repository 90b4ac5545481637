/**
 * ChannelProbe over the inbound ESL connection: `api uuid_exists <uuid>`.
 * FreeSWITCH (mod_commands.c uuid_exists_function → switch_ivr_uuid_exists, which locates the
 * session) answers the body `true` or `false` — no `+OK` — and `-ERR …` when the command is
 * missing; anything but true/false is "cannot tell".
 */
import type { ChannelProbe } from '../../app/cluster/agent-reconcile.js';

export interface EslApi {
  api(command: string): Promise<string>;
}

const UUID = /^[A-Za-z0-9-]{1,64}$/;

export class EslChannelProbe implements ChannelProbe {
  constructor(private readonly esl: EslApi) {}

  async exists(uuid: string): Promise<boolean> {
    if (!UUID.test(uuid)) throw new RangeError(`not a channel uuid: ${JSON.stringify(uuid)}`);
    const reply = (await this.esl.api(`uuid_exists ${uuid}`)).trim();
    if (reply === 'true') return true;
    if (reply === 'false') return false;
    throw new Error(`uuid_exists: unexpected reply ${JSON.stringify(reply.slice(0, 80))}`);
  }
}
