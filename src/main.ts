/**
 * Composition root: settings → logger → registry → router → listen → drain on SIGTERM. No logic.
 */
import type { CliIo } from './cli/command.js';
import { buildRouter } from './compose/router.js';
import { workOrderSettings, type WorkOrderSettings } from './adapters/webhook/index.js';
import { loadRegistryFile } from './config/load.js';
import { formatProblems } from './config/problem.js';
import { createLogger } from './lib/logger.js';
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

export async function runRouter(io: CliIo): Promise<number> {
  const read = readSettings(io);
  if (!read) return 1;
  const { settings, access, workOrders } = read;
  const logger = createLogger({ level: settings.logLevel });

  const loaded = await loadRegistryFile(settings.registryPath);
  if (!loaded.ok) {
    io.stderr(`${formatProblems(loaded.problems)}\n`);
    logger.fatal({ registry: settings.registryPath, problems: loaded.problems.length }, 'registry invalid; not starting');
    return 1;
  }
  let router;
  try {
    router = await buildRouter(settings, access, loaded.registry, logger, workOrders);
  } catch (error) {
    // A department webhook's missing secret is a settings error found while building.
    if (!(error instanceof AccessConfigError) && !(error instanceof SettingsError)) throw error;
    io.stderr(`hotline serve: ${error.code}: ${error.message}\n`);
    return 1;
  }
  const address = await router.app.listen({ host: settings.httpHost, port: settings.httpPort });
  logger.info({ address, registry: settings.registryPath, lines: loaded.registry.lines.length }, 'router listening');
  if (router.generatedAdminToken !== undefined) {
    // To the terminal only, never into the structured log that may be shipped elsewhere.
    io.stderr(`hotline serve: no HOTLINE_TOKENS_FILE — admin token for this run: ${router.generatedAdminToken}\n` +
      `  wall board: ${address}/board?token=${router.generatedAdminToken}\n`);
  }

  const signal = await signalled();
  logger.info({ signal, active: router.calls.active }, 'stopping: draining calls');
  await router.stop();
  logger.info('stopped');
  return 0;
}
