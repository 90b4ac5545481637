/**
 * Composition root: settings → logger → registry → router → listen → drain on SIGTERM. No logic.
 */
import type { CliIo } from './cli/command.js';
import { buildRouter, type Router, type RouterOptions } from './compose/router.js';
import { workOrderSettings, type WorkOrderSettings } from './adapters/webhook/index.js';
import { loadRegistryFile } from './config/load.js';
import { yamlLimitsOf } from './config/yaml-bounds.js';
import { formatProblems } from './config/problem.js';
import { createLogger, type Logger } from './lib/logger.js';
import { exitIfStillRunning, exitOnProcessFaults } from './compose/process-exit.js';
import { reloadTokensOnSighup } from './compose/tokens-reload.js';
import { AccessConfigError, accessSettingsFromEnv, type AccessSettings } from './settings/access.js';
import { SettingsError, settingsFromEnv, type Settings } from './settings/settings.js';

interface StartSettings {
  settings: Settings;
  access: AccessSettings;
  workOrders: WorkOrderSettings | undefined;
}

function readSettings(io: CliIo): StartSettings | undefined {
  try {
    return { settings: settingsFromEnv(io.env), access: accessSettingsFromEnv(io.env), workOrders: workOrderSettings(io.env) };
  } catch (error) {
    if (error instanceof SettingsError || error instanceof AccessConfigError) {
      io.stderr(`hotline serve: ${error.code}: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

/** How long after stop() the process may take to end by itself before it is made to. */
const EXIT_GRACE_MS = 3_000;

export async function runRouter(io: CliIo, options: RouterOptions = {}): Promise<number> {
  const read = readSettings(io);
  if (!read) return 1;
  const { settings } = read;
  const logger = createLogger({ level: settings.logLevel });
  exitOnProcessFaults(logger);
  const code = await serve(io, read, logger, options);
  // The process ends by itself once everything is closed; this only fires if something hung.
  exitIfStillRunning(logger, code, EXIT_GRACE_MS);
  return code;
}

async function serve(io: CliIo, { settings, access, workOrders }: StartSettings, logger: Logger, options: RouterOptions): Promise<number> {
  const loaded = await loadRegistryFile(settings.registryPath, yamlLimitsOf(settings));
  if (!loaded.ok) {
    io.stderr(`${formatProblems(loaded.problems)}\n`);
    logger.fatal({ registry: settings.registryPath, problems: loaded.problems.length }, 'registry invalid; not starting');
    return 1;
  }
  let router;
  try {
    router = await buildRouter(settings, access, loaded.registry, logger, workOrders, {
      ...options, ...(loaded.sha256 === undefined ? {} : { registrySha256: loaded.sha256 }),
    });
  } catch (error) {
    // A department webhook's missing secret is a settings error found while building.
    if (error instanceof AccessConfigError || error instanceof SettingsError) {
      io.stderr(`hotline serve: ${error.code}: ${error.message}\n`);
      return 1;
    }
    // buildRouter has closed what it had opened (Redis connections, the outbound ESL server, timers).
    logger.fatal({ err: error }, 'start failed; not starting');
    io.stderr(`hotline serve: start failed: ${errorText(error)}\n`);
    return 1;
  }
  let address: string;
  try {
    address = await router.app.listen({ host: settings.httpHost, port: settings.httpPort });
  } catch (error) {
    logger.fatal({ err: error, host: settings.httpHost, port: settings.httpPort }, 'HTTP listen failed; not starting');
    io.stderr(`hotline serve: cannot listen on ${settings.httpHost}:${settings.httpPort}: ${errorText(error)}\n`);
    await router.close();
    return 1;
  }
  logger.info({ address, registry: settings.registryPath, lines: loaded.registry.lines.length }, 'router listening');
  if (router.generatedAdminToken !== undefined) {
    // To the terminal only, never into the structured log that may be shipped elsewhere.
    io.stderr(`hotline serve: no HOTLINE_TOKENS_FILE — admin token for this run: ${router.generatedAdminToken}\n` +
      `  wall board: ${address}/board?token=${router.generatedAdminToken}\n`);
  }

  const stopReloads = reloadOnSighup(router, logger);
  const stopTokensReload = reloadTokensOnSighup(router.reloadTokens, logger);
  const signal = await signalled();
  stopReloads();
  stopTokensReload();
  logger.info({ signal, active: router.calls.active }, 'stopping: draining calls');
  const closed = await router.stop();
  logger.info({ failed: closed.failed, unfinished: closed.unfinished }, 'stopped');
  return closed.failed.length + closed.unfinished.length === 0 ? 0 : 1;
}

/**
 * SIGHUP re-reads the registry file (a bad one is refused and logged; the router keeps running
 * on the registry it has). Returns what turns it off when the router stops.
 */
function reloadOnSighup(router: Router, logger: Logger): () => void {
  let stopping = false;
  // Left installed while stopping: without a listener SIGHUP would end the process mid-drain.
  const onHup = (): void => {
    if (stopping) {
      logger.warn({ signal: 'SIGHUP' }, 'stopping: registry reload ignored');
      return;
    }
    router.reloadRegistry({ actor: 'SIGHUP', role: 'signal' }).catch((err: unknown) => {
      logger.error({ err }, 'registry reload on SIGHUP failed');
    });
  };
  process.on('SIGHUP', onHup);
  return () => { stopping = true; };
}

/** For the terminal: the error's code and message (the structured log has the whole error). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
