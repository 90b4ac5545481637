/**
 * Composition root: settings → logger → registry → router → listen → drain on SIGTERM. No logic.
 */
import type { CliIo } from './cli/command.js';
import { buildRouter } from './compose/router.js';
import { loadRegistryFile } from './config/load.js';
import { formatProblems } from './config/problem.js';
import { createLogger } from './lib/logger.js';
import { SettingsError, settingsFromEnv, type Settings } from './settings/settings.js';

function readSettings(io: CliIo): Settings | undefined {
  try {
    return settingsFromEnv(io.env);
  } catch (error) {
    if (error instanceof SettingsError) {
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
  const settings = readSettings(io);
  if (!settings) return 1;
  const logger = createLogger({ level: settings.logLevel });

  const loaded = await loadRegistryFile(settings.registryPath);
  if (!loaded.ok) {
    io.stderr(`${formatProblems(loaded.problems)}\n`);
    logger.fatal({ registry: settings.registryPath, problems: loaded.problems.length }, 'registry invalid; not starting');
    return 1;
  }
  const router = await buildRouter(settings, loaded.registry, logger);
  const address = await router.app.listen({ host: settings.httpHost, port: settings.httpPort });
  logger.info({ address, registry: settings.registryPath, lines: loaded.registry.lines.length }, 'router listening');

  const signal = await signalled();
  logger.info({ signal, active: router.calls.active }, 'stopping: draining calls');
  await router.stop();
  logger.info('stopped');
  return 0;
}
