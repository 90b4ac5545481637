/**
 * Port reservations shared by every process on this machine: vitest runs suites in several
 * forks, and a bench runs beside them, each with its own in-process bookkeeping. A fork's
 * FreeSWITCH binds RTP ports only when a call needs one, so a range another fork checked free a
 * moment ago could be handed to a sipp there and taken by that FreeSWITCH later (seen: sipp
 * exiting on "Address already in use" while two e2e suites ran side by side). A reservation is a
 * file created with O_EXCL holding the owner's pid; one whose owner is gone (SIGKILLed) is taken over.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = join(tmpdir(), 'hotline-test-ports');
const owned = new Set<string>();
let cleanupArmed = false;

function ownerAlive(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return true; // gone or being replaced right now: not ours to take
  }
  // Created but its pid not written yet (O_EXCL create and the write are two steps), unless old.
  if (text === '') {
    const st = statSync(file, { throwIfNoEntry: false });
    return st === undefined || Date.now() - st.mtimeMs < 10_000;
  }
  const pid = Number(text);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function create(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

/** Claims `name` for this process; false when a live process holds it. */
export function claim(name: string): boolean {
  mkdirSync(DIR, { recursive: true });
  if (!cleanupArmed) {
    cleanupArmed = true;
    process.once('exit', () => { for (const f of owned) rmSync(f, { force: true }); });
    // vitest ends its forks with a signal, so their 'exit' never runs: sweep what the gone left.
    for (const f of readdirSync(DIR)) if (!ownerAlive(join(DIR, f))) rmSync(join(DIR, f), { force: true });
  }
  const file = join(DIR, name);
  let ok = create(file);
  if (!ok && !ownerAlive(file)) {
    rmSync(file, { force: true });
    ok = create(file);
  }
  if (ok) owned.add(file);
  return ok;
}

export function release(name: string): void {
  const file = join(DIR, name);
  if (owned.delete(file)) rmSync(file, { force: true });
}
