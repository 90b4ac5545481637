/** A secrets file (tokens, agents' SIP secrets) read as YAML or JSON, its failures named by the setting that points to it. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

export async function readSecretsFile(setting: string, path: string, fail: (message: string) => Error): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fail(`${setting} ${path}: ${(err as Error).message}`);
  }
  try {
    // YAML is a superset of JSON: one parser reads both.
    return parseYaml(text) as unknown;
  } catch (err) {
    throw fail(`${setting} ${path}: not YAML/JSON: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}
