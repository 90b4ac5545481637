import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestHa1 } from '../../../src/adapters/sip-edge/digest-crypto.js';
import { loadAgentSecrets, parseAgentSecrets } from '../../../src/settings/agent-secrets.js';

const AGENTS = new Set(['1001', '1002']);

describe('agent secrets file', () => {
  it('turns passwords into HA1 for the realm and keeps a given HA1 as it is; the nonce key comes along', () => {
    const ha1 = digestHa1('1002', 'hotline', 'given-elsewhere');
    const s = parseAgentSecrets({ nonceKey: 'n'.repeat(32), agents: [{ id: '1001', password: 'secret-1001' }, { id: '1002', ha1: ha1.toUpperCase() }] }, 'hotline', AGENTS);
    expect(s.ha1.get('1001')).toBe(digestHa1('1001', 'hotline', 'secret-1001'));
    expect(s.ha1.get('1002')).toBe(ha1);
    expect(s.nonceKey).toBe('n'.repeat(32));
  });

  it('refuses short passwords and keys, unknown or repeated agents, stray fields — without echoing a secret', () => {
    const fails = (content: unknown, pattern: RegExp): void => {
      let message = '';
      try { parseAgentSecrets(content, 'hotline', AGENTS); } catch (err) { message = (err as Error).message; }
      expect(message).toMatch(pattern);
      expect(message).not.toMatch(/short1|hunter2hunter2/);
    };
    fails({ agents: [{ id: '1001', password: 'short1' }] }, /agents\/0/);
    fails({ nonceKey: 'short1', agents: [] }, /nonceKey/);
    fails({ agents: [{ id: '9999', password: 'hunter2hunter2' }] }, /no agent "9999" in the registry/);
    fails({ agents: [{ id: '1001', password: 'hunter2hunter2' }, { id: '1001', password: 'hunter2hunter2' }] }, /"1001" appears twice/);
    fails({ agents: [{ id: '1001', password: 'hunter2hunter2', dial: 'user/1001' }] }, /agents\/0/);
  });

  it('names the file when it cannot be read or parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-secrets-'));
    await expect(loadAgentSecrets(join(dir, 'missing.yaml'), 'hotline', AGENTS)).rejects.toThrow(/EDGE_AGENT_SECRETS_FILE .*missing\.yaml/);
    writeFileSync(join(dir, 'bad.yaml'), 'agents: [\n');
    await expect(loadAgentSecrets(join(dir, 'bad.yaml'), 'hotline', AGENTS)).rejects.toThrow(/not YAML\/JSON/);
    writeFileSync(join(dir, 'ok.yaml'), 'agents:\n  - { id: "1001", password: secret-1001 }\n');
    expect((await loadAgentSecrets(join(dir, 'ok.yaml'), 'hotline', AGENTS)).ha1.size).toBe(1);
  });
});
