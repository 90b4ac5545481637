import { join } from 'node:path';
import { loadRegistryFile } from '../../src/config/load.js';
import type { Registry } from '../../src/config/schema.js';

/** The example city's registry, the one every router bench runs on. */
export async function loadExampleRegistry(root: string): Promise<Registry> {
  const loaded = await loadRegistryFile(join(root, 'config', 'hotline.example.yaml'));
  if (!loaded.ok) throw new Error(`registry: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return loaded.registry;
}
