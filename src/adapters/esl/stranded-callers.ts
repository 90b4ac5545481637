/**
 * Callers FreeSWITCH holds in the `socket` application with nobody in control, handed to the
 * dialplan's fallback (which rings the 7×24 pool).
 *
 * mod_event_socket.c socket_function() (1.10.12), `async` mode: the session thread waits for the
 * listener thread, then calls switch_ivr_park(). When the listener has already ended — the router
 * did not finish the handshake within the listener's 25 s read_packet — it has cleared
 * CF_CONTROLLED before the park, the park sets it again, and nothing ever clears it: the caller
 * hears ringing for good, neither answered nor sent on to the fallback after `socket`. The
 * overload bench saw it on a saturated box (85 of 240 callers at 60 calls/s). The router
 * answers, releases or hangs up a call at once, so a channel still ringing in `socket` well past
 * that window has no router.
 */

export interface StrandedCandidate {
  readonly uuid: string;
  readonly application: string;
  readonly callstate: string;
  /** Seconds since the epoch when FreeSWITCH created the channel. */
  readonly createdEpoch: number;
}

/** `show channels as json`: `{"row_count":0}` when empty, else `rows` of string fields. */
export function parseChannels(body: string): StrandedCandidate[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [];
  }
  const rows = (doc as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((r: Record<string, unknown>) => {
    const uuid = r['uuid'];
    if (typeof uuid !== 'string' || uuid === '') return [];
    return [{
      uuid,
      application: typeof r['application'] === 'string' ? r['application'] : '',
      callstate: typeof r['callstate'] === 'string' ? r['callstate'] : '',
      createdEpoch: Number(r['created_epoch']),
    }];
  });
}

/** Never answered, still in `socket`, older than `minAgeSeconds`. */
export function strandedCallers(channels: readonly StrandedCandidate[], nowEpochSeconds: number, minAgeSeconds: number): string[] {
  return channels
    .filter((c) => c.application === 'socket' && c.callstate === 'RINGING' && Number.isFinite(c.createdEpoch) && nowEpochSeconds - c.createdEpoch >= minAgeSeconds)
    .map((c) => c.uuid);
}

export interface SweepApi {
  api(command: string): Promise<string>;
}

export interface StrandedSweepOptions {
  /** Where the dialplan's fallback is: `uuid_transfer <uuid> <extension> XML <context>`. */
  readonly extension: string;
  readonly context: string;
  readonly intervalMs?: number;
  /** Past FreeSWITCH's 25 s handshake read, with room for a slow but live router. */
  readonly minAgeSeconds?: number;
  readonly onRescued?: (uuid: string) => void;
  readonly onError?: (err: unknown) => void;
}

export class StrandedCallerSweep {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private count = 0;
  private readonly intervalMs: number;
  private readonly minAgeSeconds: number;

  constructor(private readonly esl: SweepApi, private readonly opts: StrandedSweepOptions) {
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.minAgeSeconds = opts.minAgeSeconds ?? 45;
  }

  /** Callers handed to the fallback since start. */
  get rescued(): number {
    return this.count;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = true;
      this.sweep().catch((err: unknown) => this.opts.onError?.(err)).finally(() => { this.inFlight = false; });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass: the callers handed to the fallback. */
  async sweep(nowEpochSeconds = Date.now() / 1000): Promise<string[]> {
    const stranded = strandedCallers(parseChannels(await this.esl.api('show channels as json')), nowEpochSeconds, this.minAgeSeconds);
    const moved: string[] = [];
    for (const uuid of stranded) {
      // Gone meanwhile (the caller hung up): "-ERR No such channel!"; the others still go.
      const moved1 = await this.esl.api(`uuid_transfer ${uuid} ${this.opts.extension} XML ${this.opts.context}`)
        .then((reply) => reply.startsWith('+OK'), () => false);
      if (!moved1) continue;
      this.count += 1;
      moved.push(uuid);
      this.opts.onRescued?.(uuid);
    }
    return moved;
  }
}
