import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claim, release } from './port-locks.js';

const name = `test-${process.pid}-${Math.random().toString(36).slice(2)}`;
const file = join(tmpdir(), 'hotline-test-ports', name);

describe('port reservations across processes', () => {
  afterEach(() => { release(name); });

  it('a name is claimed once, until released', () => {
    expect(claim(name)).toBe(true);
    expect(claim(name)).toBe(false);
    release(name);
    expect(existsSync(file)).toBe(false);
    expect(claim(name)).toBe(true);
  });

  it('a live process keeps its claim; a gone one loses it', () => {
    expect(claim(name)).toBe(true);
    release(name);
    // The parent (vitest) is alive: its claim holds.
    writeFileSync(file, String(process.ppid));
    expect(claim(name)).toBe(false);
    // A process that has exited: its claim is taken over.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(file, gone.stdout);
    expect(claim(name)).toBe(true);
  });
});
