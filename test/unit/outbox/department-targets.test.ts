import { describe, expect, it } from 'vitest';
import { departmentTargets } from '../../../src/adapters/webhook/index.js';
import type { DepartmentWebhook, Registry } from '../../../src/config/schema.js';
import { SettingsError } from '../../../src/settings/settings.js';
import { cityRegistry } from '../../support/registry-builder.js';

const withHook = (webhook: Partial<DepartmentWebhook>): Registry => ({
  ...cityRegistry(),
  departments: { transport: { name: '交通运输局', webhook: { url: 'https://d.example/h', callerNumbers: 'masked', timeoutSeconds: 3, ...webhook } }, market: { name: '市场监管局' } },
});

describe('department webhook secrets', () => {
  it('reads the secret from the named environment variable', async () => {
    const targets = await departmentTargets(withHook({ secretEnv: 'T_SECRET' }), { T_SECRET: 'x'.repeat(20) });
    expect([...targets]).toEqual([['transport', { url: 'https://d.example/h', secret: 'x'.repeat(20), timeoutMs: 3000 }]]);
  });

  it('reads it from the named file, without the trailing newline', async () => {
    const targets = await departmentTargets(withHook({ secretFile: '/run/secrets/t' }), {}, (p) => Promise.resolve(p === '/run/secrets/t' ? `${'y'.repeat(24)}\n` : ''));
    expect(targets.get('transport')?.secret).toBe('y'.repeat(24));
  });

  it('stops the start naming the department: variable unset, file unreadable, secret too short', async () => {
    await expect(departmentTargets(withHook({ secretEnv: 'T_SECRET' }), {})).rejects.toThrow(new SettingsError('departments.transport.webhook: environment variable T_SECRET is not set'));
    await expect(departmentTargets(withHook({ secretFile: '/nope' }), {}, () => Promise.reject(new Error('ENOENT: no such file')))).rejects.toThrow(/departments\.transport\.webhook: cannot read secretFile \/nope/);
    await expect(departmentTargets(withHook({ secretEnv: 'T_SECRET' }), { T_SECRET: 'short' })).rejects.toThrow(/at least 16 characters/);
  });
});
