/**
 * SIGHUP puts the tokens file's current content in force without a restart: a revoked token
 * stops working at the next request. A bad file changes nothing and is logged with its reason.
 * Its own listener (the registry may have another on the same signal): each reloads its part.
 */
import type { Logger } from '../lib/logger.js';

export type TokensReload = () => Promise<{ readonly tokens: number } | { readonly unchanged: string }>;

/** Reloads once; never throws (a signal handler has nobody to throw to). */
export async function reloadTokensLogged(reload: TokensReload, logger: Logger): Promise<boolean> {
  const log = logger.child({ component: 'access' });
  try {
    const result = await reload();
    if ('unchanged' in result) log.info({ reason: result.unchanged }, 'tokens not reloaded');
    else log.info({ tokens: result.tokens }, 'tokens reloaded');
    return 'tokens' in result;
  } catch (err) {
    log.error({ err }, 'tokens reload refused; the tokens in force are kept');
    return false;
  }
}

/** Returns the function that removes the listener (on stop). */
export function reloadTokensOnSighup(reload: TokensReload, logger: Logger): () => void {
  // One reload at a time: signals arriving during one are folded into one more after it.
  let running: Promise<unknown> | undefined;
  let again = false;
  const run = (): void => {
    if (running !== undefined) { again = true; return; }
    running = reloadTokensLogged(reload, logger).finally(() => {
      running = undefined;
      if (again) { again = false; run(); }
    });
  };
  process.on('SIGHUP', run);
  return () => { process.off('SIGHUP', run); };
}
