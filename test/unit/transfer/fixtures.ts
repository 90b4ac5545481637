import type { Registry } from '../../../src/config/schema.js';
import { buildTransferDirectory, isRefusal, type TransferDirectory, type TransferTarget } from '../../../src/core/transfer/index.js';
import { cityRegistry } from '../../support/registry-builder.js';

/** The example city plus emergency and regional targets. 12366 (tax) is open Mon–Fri 09:00–17:00. */
export function transferRegistry(): Registry {
  const r = cityRegistry();
  return {
    ...r,
    transferTargets: [
      { id: 'police', kind: 'emergency', name: '110 报警', number: '110', dial: 'sofia/gateway/carrier/110' },
      { id: 'fire', kind: 'emergency', name: '119 火警', number: '119', dial: 'sofia/gateway/carrier/119' },
      { id: 'huzhou', kind: 'region', name: '湖州12345', number: '057212345', dial: 'sofia/gateway/carrier/057212345' },
    ],
  };
}

export const directory = (): TransferDirectory => buildTransferDirectory(transferRegistry());

export function target(dir: TransferDirectory, spec: string): TransferTarget {
  const t = dir.resolve(spec);
  if (isRefusal(t)) throw new Error(t.reason);
  return t;
}
