/**
 * Department webhooks' signing secrets, read at start from where the registry says (an
 * environment variable or a file — the registry never holds a secret). A webhook whose secret is
 * missing or weak stops the start with a settings error naming the department, never later at
 * the first delivery.
 */
import { readFile } from 'node:fs/promises';
import type { Registry } from '../../config/schema.js';
import { SettingsError } from '../../settings/settings.js';
import type { PostTarget } from './post.js';

const MIN_SECRET = 16;

export type ReadSecretFile = (path: string) => Promise<string>;

async function secretOf(id: string, hook: { secretEnv?: string; secretFile?: string }, env: Readonly<Record<string, string | undefined>>, read: ReadSecretFile): Promise<string> {
  const where = `departments.${id}.webhook`;
  let secret: string;
  if (hook.secretEnv !== undefined) {
    secret = env[hook.secretEnv] ?? '';
    if (secret === '') throw new SettingsError(`${where}: environment variable ${hook.secretEnv} is not set`);
  } else if (hook.secretFile !== undefined) {
    try {
      // A trailing newline from `echo secret > file` is not part of the secret.
      secret = (await read(hook.secretFile)).replace(/\r?\n$/, '');
    } catch (err) {
      throw new SettingsError(`${where}: cannot read secretFile ${hook.secretFile}: ${(err as Error).message}`);
    }
  } else {
    throw new SettingsError(`${where}: needs secretEnv or secretFile`);
  }
  if (secret.length < MIN_SECRET) throw new SettingsError(`${where}: the secret must be at least ${MIN_SECRET} characters`);
  return secret;
}

/** department id → where its records go, for every department with a webhook. */
export async function departmentTargets(
  registry: Registry, env: Readonly<Record<string, string | undefined>>, read: ReadSecretFile = (p) => readFile(p, 'utf8'),
): Promise<ReadonlyMap<string, PostTarget>> {
  const targets = new Map<string, PostTarget>();
  for (const [id, department] of Object.entries(registry.departments ?? {})) {
    const hook = department.webhook;
    if (hook === undefined) continue;
    targets.set(id, { url: hook.url, secret: await secretOf(id, hook, env, read), timeoutMs: hook.timeoutSeconds * 1000 });
  }
  return targets;
}
