/**
 * Demo mode as a newcomer starts it: the real binary, `hotline serve --demo`, nothing else
 * running (no FreeSWITCH). Within seconds the wall board in headless chromium shows agents on
 * calls, under the demo banner; /metrics carries mode="demo".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumInstalled, launchChromium, SKIP_NO_CHROMIUM } from '../support/browser.js';
import { repoRoot } from '../support/run-cli.js';

const installed = chromiumInstalled();
if (!installed) console.log(SKIP_NO_CHROMIUM);

let child: ChildProcess | undefined;
let board = '';
let base = '';
let token = '';

/** Starts the binary and reads the board address it prints for this run. */
function startDemo(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'demo-'));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/hotline.js', 'serve', '--demo'], {
      cwd: repoRoot,
      // its own records file: a demo run leaves nothing in the checkout's data/
      env: { PATH: process.env.PATH ?? '', HTTP_PORT: '0', LOG_LEVEL: 'warn', DRAIN_SECONDS: '1', REPORTS_DIR: scratch, RECORDS_FILE: join(scratch, 'records.db') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = p;
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no board address within 20 s: ${err}`)), 20_000);
    p.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /wall board: (http:\/\/[^/\s]+)\/board\?token=(\S+)/.exec(err);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        clearTimeout(timer);
        base = m[1];
        token = m[2];
        board = `${base}/board?token=${token}`;
        resolve();
      }
    });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hotline serve --demo exited ${code}: ${err}`)); });
  });
}

describe.skipIf(!installed)('hotline serve --demo (real binary, real chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    await startDemo();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);

  it('the board shows calls within seconds, under the demo banner', async () => {
    const page = await browser.newPage();
    await page.goto(board);
    expect(await page.locator('#demo-banner').textContent()).toContain('演示模式 DEMO');
    const busy = async () => {
      let n = 0;
      for (const state of ['ringing', 'on-call']) {
        const t = await page.locator(`#agents [data-state="${state}"] .value`).textContent();
        n += Number(t ?? '0');
      }
      return n;
    };
    const started = Date.now();
    await expect.poll(busy, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    console.log(`demo: an agent on a call on the board ${((Date.now() - started) / 1000).toFixed(1)} s after the page opened`);
    await page.close();
  }, 60_000);

  it('every metric carries mode="demo" and health says demo', async () => {
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    const series = metrics.split('\n').filter((l) => l.startsWith('hotline_') && !l.startsWith('#'));
    expect(series.length).toBeGreaterThan(0);
    for (const l of series) expect(l).toContain('mode="demo"');
    const health = await (await fetch(`${base}/health`)).text();
    expect(health).toContain('demo mode');
  });
});
