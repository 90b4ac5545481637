import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from './ports.js';

describe('freePort', () => {
  it('hands out distinct ports outside the kernel\'s ephemeral range, so nobody else is given them before they are bound', async () => {
    const rangeFile = '/proc/sys/net/ipv4/ip_local_port_range';
    const [low, high] = existsSync(rangeFile) ? readFileSync(rangeFile, 'utf8').trim().split(/\s+/).map(Number) : [32768, 60999];
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const p of ports) expect(p < (low ?? 0) || p > (high ?? 0)).toBe(true);
  });
});
