/**
 * The call-record journal as a local file: one JSON line per record, appended and fdatasynced
 * before `append` resolves. Appends that arrive while a write is under way go out together in
 * the next write (one fsync for the group). Every operation runs in order on one chain, so a
 * clear issued before an append never truncates it.
 *
 * A torn last line (the process killed mid-write) is skipped on load: its record was never
 * acknowledged as journalled.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordJournal } from '../../app/records/record-writer.js';
import type { StoredCall } from '../../app/records/records-db.js';

export class FileRecordJournal implements RecordJournal {
  private chain: Promise<unknown> = Promise.resolve();
  private handle: FileHandle | undefined;
  private group: { lines: string[]; done: Promise<void> } | undefined;

  constructor(private readonly file: string) {}

  append(calls: readonly StoredCall[]): Promise<void> {
    const lines = calls.map((c) => JSON.stringify(c) + '\n');
    if (this.group !== undefined) {
      this.group.lines.push(...lines);
      return this.group.done;
    }
    const group = { lines, done: Promise.resolve() };
    group.done = this.run(async () => {
      this.group = undefined;
      const fh = await this.open();
      await fh.appendFile(group.lines.join(''), 'utf8');
      await fh.datasync();
    });
    this.group = group;
    return group.done;
  }

  load(): Promise<StoredCall[]> {
    return this.run(async () => {
      let text: string;
      try {
        text = await readFile(this.file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const out: StoredCall[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          out.push(JSON.parse(line) as StoredCall);
        } catch {
          // a torn tail: never acknowledged
        }
      }
      return out;
    });
  }

  clear(): Promise<void> {
    return this.run(async () => {
      const fh = await this.open();
      await fh.truncate(0);
      await fh.datasync();
    });
  }

  close(): Promise<void> {
    return this.run(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  private async open(): Promise<FileHandle> {
    if (this.handle === undefined) {
      await mkdir(dirname(this.file), { recursive: true });
      this.handle = await open(this.file, 'a+');
    }
    return this.handle;
  }

  private run<R>(op: () => Promise<R>): Promise<R> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
