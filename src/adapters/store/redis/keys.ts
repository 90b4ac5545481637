/**
 * Every Redis key the store uses is built here (TypeScript side) or from `PART` (Lua side).
 *
 * Layout, for deployment `hotline` (prefix `{hotline}:`):
 *   {hotline}:agents            ZSET  every agent id (score 0: lexicographic listing)
 *   {hotline}:agent:<id>        HASH  id, skills, queues, state (JSON), status, call, since, idle, v
 *   {hotline}:members:<queue>   SET   agents serving the queue
 *   {hotline}:ready:<queue>     ZSET  ready agents serving the queue, score = idleSince
 *   {hotline}:reservations      ZSET  reserved/ringing agents, score = reservedUntil
 *   {hotline}:queue:<queue>     ZSET  waiting callers, all score 0, member = order key (see codec)
 *   {hotline}:call:<callId>     HASH  the waiting entry; exists exactly while the call waits
 *   {hotline}:queues            SET   queues that have had callers (lengths() skips the empty ones)
 *   {hotline}:seq               STRING the tie-break counter
 *   {hotline}:aht               HASH  queue → average handle time (s), shared by every node
 *   {hotline}:nodes             SET   router nodes that have beaten or own callers
 *   {hotline}:beats             HASH  node → its heartbeat's deadline on the registry's clock (cluster-scripts.ts)
 *   {hotline}:clock             HASH  the registry's clock: at (Redis TIME of the last beat or reap), skew, grace
 *   {hotline}:owned:<id>        SET   callIds waiting whose caller node <id> holds
 *   {hotline}:reaps             STRING how many reaps found dead nodes (nodes reconcile when it moves)
 *   {hotline}:bus               pub/sub channel every node listens on (not a key)
 *   {hotline}:bus:<id>          pub/sub channel of one node (assignments for its callers)
 *   {hotline}:live:<callSid>    HASH  a call in conversation: node, callerUuid, agentUuid, agentId
 *   {hotline}:leg:<uuid>        STRING the live call a FreeSWITCH channel belongs to
 *   {hotline}:handover:<uuid>   STRING the caller channel's one hand-over: "<callSid> <target>"
 *   {hotline}:rpc:<id>          pub/sub channel of one node (requests about its calls, replies)
 *   {hotline}:reg:<agent>       ZSET  an agent's registered contacts (SIP edge), score = expiresAt
 *   {hotline}:regd:<agent>      HASH  contact → JSON of the binding's other fields
 *
 * Why one hash tag for the whole deployment: every Lua script touches an agent, a caller and
 * index keys together, and Redis Cluster runs a script only when all its keys share one slot.
 * `{deployment}` makes the whole deployment one slot — fine for an ACD (a few thousand agents,
 * thousands of callers), and it lets several deployments share one Redis without collisions.
 * Scripts receive the keys TypeScript knows in KEYS and derive the per-queue index keys of an
 * agent's queues (known only inside the script) from the prefix, which stays in the same slot.
 */
export const PART = {
  agents: 'agents',
  agent: 'agent:',
  members: 'members:',
  ready: 'ready:',
  reservations: 'reservations',
  queue: 'queue:',
  call: 'call:',
  queues: 'queues',
  seq: 'seq',
  aht: 'aht',
  nodes: 'nodes',
  beats: 'beats',
  clock: 'clock',
  owned: 'owned:',
  reaps: 'reaps',
  bus: 'bus',
  live: 'live:',
  leg: 'leg:',
  handover: 'handover:',
  rpc: 'rpc:',
  reg: 'reg:',
  regData: 'regd:',
} as const;

/** Node ids go into keys and channel names: the same inert characters, no colon. */
export const NODE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Only characters that are inert in hash tags and SCAN/KEYS glob patterns. */
const DEPLOYMENT = /^[A-Za-z0-9_.:-]{1,64}$/;

export class RedisKeys {
  /** `{deployment}:` — the start of every key of this deployment */
  readonly prefix: string;

  constructor(readonly deployment = 'hotline') {
    if (!DEPLOYMENT.test(deployment)) {
      throw new RangeError(`deployment name must match ${String(DEPLOYMENT)}, got ${JSON.stringify(deployment)}`);
    }
    this.prefix = `{${deployment}}:`;
  }

  /** SCAN pattern matching every key of this deployment (and nothing else). */
  get pattern(): string {
    return `${this.prefix}*`;
  }

  agents(): string { return this.prefix + PART.agents; }
  agent(agentId: string): string { return this.prefix + PART.agent + agentId; }
  members(queueId: string): string { return this.prefix + PART.members + queueId; }
  ready(queueId: string): string { return this.prefix + PART.ready + queueId; }
  reservations(): string { return this.prefix + PART.reservations; }
  queue(queueId: string): string { return this.prefix + PART.queue + queueId; }
  call(callId: string): string { return this.prefix + PART.call + callId; }
  queues(): string { return this.prefix + PART.queues; }
  seq(): string { return this.prefix + PART.seq; }
  aht(): string { return this.prefix + PART.aht; }
  nodes(): string { return this.prefix + PART.nodes; }
  beats(): string { return this.prefix + PART.beats; }
  clock(): string { return this.prefix + PART.clock; }
  owned(nodeId: string): string { return this.prefix + PART.owned + nodeId; }
  reaps(): string { return this.prefix + PART.reaps; }
  /** pub/sub: every node's channel (no argument) or one node's */
  bus(nodeId?: string): string { return this.prefix + PART.bus + (nodeId === undefined ? '' : `:${nodeId}`); }
  live(callSid: string): string { return this.prefix + PART.live + callSid; }
  leg(uuid: string): string { return this.prefix + PART.leg + uuid; }
  handover(callerUuid: string): string { return this.prefix + PART.handover + callerUuid; }
  /** pub/sub: one node's call requests and replies */
  rpc(nodeId: string): string { return this.prefix + PART.rpc + nodeId; }
  reg(agentId: string): string { return this.prefix + PART.reg + agentId; }
  regData(agentId: string): string { return this.prefix + PART.regData + agentId; }
}
