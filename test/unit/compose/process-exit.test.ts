/** Process faults: logged with the error, the log flushed, then exit 70 — once. */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT_FAULT, exitOnProcessFaults } from '../../../src/compose/process-exit.js';
import { createLogger } from '../../../src/lib/logger.js';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const hooks = {
    on: (e: 'unhandledRejection' | 'uncaughtException', l: (err: unknown) => void) => emitter.on(e, l),
    off: (e: 'unhandledRejection' | 'uncaughtException', l: (err: unknown) => void) => emitter.off(e, l),
    exit: (code: number) => { exits.push(code); },
  };
  return { emitter, exits, hooks };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('exitOnProcessFaults', () => {
  it.each([['unhandledRejection'], ['uncaughtException']] as const)('%s: a fatal line with the error, then exit %s', async (fault) => {
    const { lines, logger } = capture();
    const { emitter, exits, hooks } = fakeProcess();
    exitOnProcessFaults(logger, hooks);
    emitter.emit(fault, new Error('boom'));
    await settle();
    expect(exits).toEqual([EXIT_FAULT]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, fault, err: { message: 'boom', type: 'Error' } });
    expect((lines[0]?.err as { stack: string }).stack).toContain('boom');
  });

  it('a second fault while exiting is logged but exits once; the removal uninstalls the handlers', async () => {
    const { lines, logger } = capture();
    const { emitter, exits, hooks } = fakeProcess();
    const remove = exitOnProcessFaults(logger, hooks);
    emitter.emit('unhandledRejection', new Error('first'));
    emitter.emit('uncaughtException', new Error('second'));
    await settle();
    expect(exits).toEqual([EXIT_FAULT]);
    expect(lines.map((l) => (l.err as { message: string }).message)).toEqual(['first', 'second']);
    remove();
    expect(emitter.listenerCount('unhandledRejection') + emitter.listenerCount('uncaughtException')).toBe(0);
  });
});
