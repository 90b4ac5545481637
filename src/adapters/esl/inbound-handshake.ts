import { encodeAuth, encodeEventSubscription, encodeFilter, type SubscriptionSpec } from './codec/commands.js';
import type { EslFrame } from './codec/types.js';
import { replyText, type EslConnection } from './connection.js';
import { EslError, EslErrorCode } from './errors.js';

export interface HandshakeSpec {
  target: string;
  password: string;
  subscription: SubscriptionSpec;
  filters: readonly (readonly [string, string])[];
  timeoutMs: number;
}

/** Waits for `auth/request`; a `text/rude-rejection` (ACL) or an early close rejects. */
function awaitAuthRequest(conn: EslConnection, spec: HandshakeSpec): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new EslError(EslErrorCode.timeout, `no auth/request from FreeSWITCH at ${spec.target} within ${spec.timeoutMs} ms`));
    }, spec.timeoutMs);
    const onAuth = (): void => {
      done();
      resolve();
    };
    const onRude = (frame: EslFrame): void => {
      done();
      reject(new EslError(EslErrorCode.rudeRejection,
        `FreeSWITCH at ${spec.target} rejected this host by ACL (${(frame.body ?? '').trim() || 'text/rude-rejection'}); ` +
        'allow the router address in event_socket.conf.xml apply-inbound-acl', frame.body));
    };
    const onClose = (err: EslError): void => {
      done();
      reject(err);
    };
    const done = (): void => {
      clearTimeout(timer);
      conn.off('auth-request', onAuth).off('rude-rejection', onRude).off('close', onClose);
    };
    conn.on('auth-request', onAuth).on('rude-rejection', onRude).on('close', onClose);
  });
}

/** auth/request → auth → event subscription → filters. Resolves when events are flowing. */
export async function inboundHandshake(conn: EslConnection, spec: HandshakeSpec): Promise<void> {
  await awaitAuthRequest(conn, spec);
  const auth = await conn.request(encodeAuth(spec.password), 'auth', spec.timeoutMs);
  const text = (auth.headers['Reply-Text'] ?? '').trim();
  if (!text.startsWith('+OK')) {
    throw new EslError(EslErrorCode.auth,
      `FreeSWITCH at ${spec.target} rejected the ESL password (${text || 'no reply text'}); check esl.password against event_socket.conf.xml`, text);
  }
  replyText(await conn.request(encodeEventSubscription(spec.subscription), 'event subscription', spec.timeoutMs), 'event subscription');
  for (const [header, value] of spec.filters) {
    replyText(await conn.request(encodeFilter(header, value), `filter ${header}`, spec.timeoutMs), `filter ${header}`);
  }
}
