/**
 * `hotline edge`: settings → logger → registry → edge → drain on SIGTERM. No logic.
 */
import type { CliIo } from './cli/command.js';
import { loadRegistryFile } from './config/load.js';
import { formatProblems } from './config/problem.js';
import { startEdge } from './compose/edge.js';
import { exitIfStillRunning, exitOnProcessFaults } from './compose/process-exit.js';
import { createLogger } from './lib/logger.js';
import { edgeSettingsFromEnv, type EdgeSettings } from './settings/edge-settings.js';
import { SettingsError } from './settings/settings.js';

const EXIT_GRACE_MS = 3_000;

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function runEdge(io: CliIo): Promise<number> {
  let settings: EdgeSettings;
  try {
    settings = edgeSettingsFromEnv(io.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr(`hotline edge: ${error.code}: ${error.message}\n`);
    return 1;
  }
  const logger = createLogger({ level: settings.logLevel });
  exitOnProcessFaults(logger);
  const loaded = await loadRegistryFile(settings.registryPath);
  if (!loaded.ok) {
    io.stderr(`${formatProblems(loaded.problems)}\n`);
    logger.fatal({ registry: settings.registryPath, problems: loaded.problems.length }, 'registry invalid; not starting');
    return 1;
  }
  let edge;
  try {
    edge = await startEdge(loaded.registry, settings, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'edge start failed; not starting');
    io.stderr(`hotline edge: start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    exitIfStillRunning(logger, 1, EXIT_GRACE_MS);
    return 1;
  }
  if (edge.generatedAdminToken !== undefined) {
    io.stderr(`hotline edge: no HOTLINE_TOKENS_FILE — admin token for this run (GET /metrics): ${edge.generatedAdminToken}\n`);
  }
  const signal = await signalled();
  logger.info({ signal, calls: edge.calls.calls }, 'edge stopping: new calls get 503, calls in progress go on');
  await edge.stop();
  exitIfStillRunning(logger, 0, EXIT_GRACE_MS);
  return 0;
}
