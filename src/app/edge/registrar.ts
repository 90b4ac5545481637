/**
 * The edge's registrar: agents' phones REGISTER here, prove their password by digest, and their
 * contacts go to the shared registrations store, so a node behind any edge process can ring them.
 * Cheap refusals come first — scanners and floods get a plain 403 with no challenge (no nonce,
 * no secret lookup, no store) — and every outcome is counted by reason.
 */
import type { Logger } from 'pino';
import {
  digestChallenge, isScannerUserAgent, parseDigestCredentials, readRegister,
  type DigestCredentials, type InviteView, type NonceCheck, type RegisterLimits, type SourceRate,
} from '../../core/edge/index.js';
import type { Respond } from './edge-calls.js';
import type { AgentRegistrations } from './registrations.js';

export type RegisterRefusal = 'scanner' | 'flood' | 'bad-request' | 'no-agents' | 'auth' | 'aor-mismatch' | 'too-brief' | 'store';
export type RegisterOutcome = 'challenged' | 'registered' | 'unregistered' | 'queried';

export interface RegistrarMetrics {
  outcome(outcome: RegisterOutcome): void;
  refused(reason: RegisterRefusal): void;
}

export interface RegisterView extends InviteView {
  /** The REGISTER's source port (drachtio's source_port), kept with the binding. */
  readonly sourcePort: string;
}

/** The crypto side of digest authentication (adapters/sip-edge/digest-crypto.ts). */
export interface DigestCheck {
  newNonce(source: string, now: number): string;
  nonce(nonce: string, source: string, now: number, ttlMs: number): NonceCheck;
  responseValid(creds: DigestCredentials, method: string, ha1: string): boolean;
}

export interface RegistrarDeps {
  /** Agent id → HA1 for the realm; undefined: no secrets file, so no phone can register. */
  readonly ha1: ReadonlyMap<string, string> | undefined;
  readonly digest: DigestCheck;
  readonly realm: string;
  readonly store: AgentRegistrations;
  readonly limits: RegisterLimits;
  readonly rate: SourceRate;
  readonly now: () => number;
  readonly metrics: RegistrarMetrics;
  readonly logger: Logger;
}

/** A nonce is answered within seconds; five minutes covers a slow phone and clocks of several edges. */
export const NONCE_TTL_MS = 300_000;
/** A wrong password costs a source this many REGISTERs of its budget: guessing runs out fast. */
const FAILED_AUTH_WEIGHT = 5;

export class Registrar {
  constructor(private readonly deps: RegistrarDeps) {}

  async onRegister(view: RegisterView, respond: Respond): Promise<void> {
    const { deps } = this;
    const now = deps.now();
    const refuse = (reason: RegisterRefusal, status: number, headers?: Readonly<Record<string, string>>): void => {
      deps.metrics.refused(reason);
      respond(status, headers);
    };
    if (isScannerUserAgent(view.header('user-agent'))) return refuse('scanner', 403);
    if (!deps.rate.hit(view.source, now)) return refuse('flood', 403);
    if (deps.ha1 === undefined) return refuse('no-agents', 403);
    const asked = readRegister(view, deps.limits);
    if (asked.kind === 'bad') {
      deps.logger.info({ source: view.source, detail: asked.detail }, 'edge refused a malformed REGISTER');
      return refuse('bad-request', 400);
    }
    const challenge = (stale: boolean): void => {
      deps.metrics.outcome('challenged');
      respond(401, { 'WWW-Authenticate': digestChallenge(deps.realm, deps.digest.newNonce(view.source, now), stale) });
    };
    const authorization = view.header('authorization');
    const creds = authorization === undefined ? undefined : parseDigestCredentials(authorization);
    if (creds === undefined || creds.realm !== deps.realm) return challenge(false);
    const nonce = deps.digest.nonce(creds.nonce, view.source, now, NONCE_TTL_MS);
    if (nonce === 'bad') return challenge(false);
    const ha1 = deps.ha1.get(creds.username);
    // An unknown agent and a wrong password look the same from outside.
    if (ha1 === undefined || !deps.digest.responseValid(creds, 'REGISTER', ha1)) {
      deps.rate.hit(view.source, now, FAILED_AUTH_WEIGHT - 1);
      deps.logger.warn({ source: view.source, user: creds.username.slice(0, 32) }, 'edge REGISTER failed digest authentication');
      return refuse('auth', 403);
    }
    // Only now is staleness worth saying: the password was right, the phone just retries.
    if (nonce === 'stale') return challenge(true);
    if (asked.user !== creds.username) return refuse('aor-mismatch', 403);
    if (asked.kind === 'too-brief') return refuse('too-brief', 423, { 'Min-Expires': String(asked.minExpires) });
    try {
      await this.apply(asked, view, now);
      const current = await deps.store.bindings(asked.user, now);
      const contact = current.map((b) => `<${b.contact}>;expires=${Math.max(0, Math.floor((b.expiresAt - now) / 1000))}`).join(', ');
      respond(200, contact === '' ? {} : { Contact: contact });
    } catch (err) {
      deps.logger.error({ err, agent: asked.user }, 'edge registrations store failed');
      refuse('store', 503, { 'Retry-After': '5' });
    }
  }

  private async apply(asked: Extract<ReturnType<typeof readRegister>, { user: string; kind: 'query' | 'remove-all' | 'update' }>, view: RegisterView, now: number): Promise<void> {
    const { store, metrics, logger } = this.deps;
    if (asked.kind === 'query') {
      metrics.outcome('queried');
      return;
    }
    if (asked.kind === 'remove-all') {
      await store.unbindAll(asked.user);
      metrics.outcome('unregistered');
      logger.info({ agent: asked.user }, 'agent unregistered every phone at the edge');
      return;
    }
    for (const b of asked.bindings) {
      if (b.expires === 0) await store.unbind(asked.user, b.contact);
      else await store.bind(asked.user, { contact: b.contact, expiresAt: now + b.expires * 1000, source: `${view.source}:${view.sourcePort}` }, now);
    }
    const removing = asked.bindings.every((b) => b.expires === 0);
    metrics.outcome(removing ? 'unregistered' : 'registered');
    logger.info({ agent: asked.user, contacts: asked.bindings.length, removing }, 'agent registered at the edge');
  }
}
