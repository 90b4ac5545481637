/** WORK_ORDER_URL / WORK_ORDER_SECRET: where work orders go; unset URL = work orders only logged. */
import { SettingsError } from '../../settings/settings.js';

export interface WorkOrderSettings {
  readonly url: string;
  readonly secret: string;
}

export function workOrderSettings(env: Readonly<Record<string, string | undefined>>): WorkOrderSettings | undefined {
  const url = env.WORK_ORDER_URL?.trim();
  if (url === undefined || url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingsError(`WORK_ORDER_URL is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new SettingsError('WORK_ORDER_URL must be http(s)');
  const secret = env.WORK_ORDER_SECRET ?? '';
  // An unsigned or weakly signed order could be forged by anyone who can reach the receiver.
  if (secret.length < 16) throw new SettingsError('WORK_ORDER_SECRET must be set (at least 16 characters) when WORK_ORDER_URL is');
  return { url, secret };
}
