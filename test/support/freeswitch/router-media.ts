/**
 * What a FreeSWITCH and a router need beside the registry file, made by the real CLI: the
 * registry's prompts rendered, a hold-music tone, and the dialplan `hotline dialplan` generates
 * for a router listening on `outboundPort`. Shared by the e2e stack and the FreeSWITCH bench.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPrompts, toneWav } from './prompts.js';

export interface RouterMedia {
  readonly promptsDir: string;
  readonly mohDir: string;
  readonly dialplanXml: string;
}

/** `cliTimeoutMs` is a hang stop: rendering prompts can take minutes on a loaded box. */
export function prepareRouterMedia(work: string, registryPath: string, outboundPort: number, cliTimeoutMs: number): RouterMedia {
  const hotline = (args: readonly string[]): string => {
    const r = spawnSync(process.execPath, ['bin/hotline.js', ...args], { encoding: 'utf8', timeout: cliTimeoutMs });
    if (r.status !== 0) throw new Error(`hotline ${args.join(' ')} failed (${String(r.status)}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const promptsDir = join(work, 'prompts');
  renderPrompts(registryPath, promptsDir, hotline);
  const mohDir = join(work, 'moh');
  mkdirSync(mohDir);
  toneWav(join(mohDir, 'hold.wav'), 3, 440);
  const dialplanDir = join(work, 'dialplan');
  hotline(['dialplan', registryPath, '--out', dialplanDir, '--router', `127.0.0.1:${outboundPort}`, '--prompts-dir', promptsDir]);
  return { promptsDir, mohDir, dialplanXml: readFileSync(join(dialplanDir, 'hotline.xml'), 'utf8') };
}
