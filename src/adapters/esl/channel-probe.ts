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

  /** `api switchname` (mod_commands.c switchname_api_function: switch_core_get_switchname(), the
   * FreeSWITCH-Switchname header of its events and channel data). Asked each time: cheap, and
   * right after a reconnect to another FreeSWITCH. */
  async freeswitch(): Promise<string> {
    const name = (await this.esl.api('switchname')).trim();
    if (name === '') throw new Error('switchname: empty reply');
    return name;
  }

  async exists(uuid: string): Promise<boolean> {
    if (!UUID.test(uuid)) throw new RangeError(`not a channel uuid: ${JSON.stringify(uuid)}`);
    const reply = (await this.esl.api(`uuid_exists ${uuid}`)).trim();
    if (reply === 'true') return true;
    if (reply === 'false') return false;
    throw new Error(`uuid_exists: unexpected reply ${JSON.stringify(reply.slice(0, 80))}`);
  }
}
