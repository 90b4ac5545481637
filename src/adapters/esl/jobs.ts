import type { FsEvent } from './codec/types.js';
import { EslError, EslErrorCode } from './errors.js';

export interface BgapiResult {
  jobUuid: string;
  /** BACKGROUND_JOB body: the command's output. */
  body: string;
}

interface Job {
  resolve(result: BgapiResult): void;
  reject(err: EslError): void;
  timer: NodeJS.Timeout | undefined;
  command: string;
}

/** bgapi jobs waiting for their BACKGROUND_JOB event, keyed by the Job-UUID we chose. */
export class JobTable {
  private readonly jobs = new Map<string, Job>();

  get size(): number {
    return this.jobs.size;
  }

  wait(jobUuid: string, command: string, timeoutMs: number): Promise<BgapiResult> {
    return new Promise<BgapiResult>((resolve, reject) => {
      const job: Job = { resolve, reject, timer: undefined, command };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        job.timer = setTimeout(() => {
          this.jobs.delete(jobUuid);
          reject(new EslError(EslErrorCode.timeout, `bgapi ${command}: no BACKGROUND_JOB within ${timeoutMs} ms`));
        }, timeoutMs);
        job.timer.unref();
      }
      this.jobs.set(jobUuid, job);
    });
  }

  /** Settles the job a BACKGROUND_JOB event belongs to; returns false if it is not ours. */
  complete(event: FsEvent): boolean {
    const jobUuid = event.headers['Job-UUID'];
    const job = jobUuid === undefined ? undefined : this.jobs.get(jobUuid);
    if (!job || jobUuid === undefined) return false;
    this.jobs.delete(jobUuid);
    if (job.timer) clearTimeout(job.timer);
    const body = event.body ?? '';
    if (body.startsWith('-ERR')) {
      job.reject(new EslError(EslErrorCode.command, `bgapi ${job.command} failed: ${body.trim()}`, body));
    } else {
      job.resolve({ jobUuid, body });
    }
    return true;
  }

  fail(jobUuid: string, err: EslError): void {
    const job = this.jobs.get(jobUuid);
    if (!job) return;
    this.jobs.delete(jobUuid);
    if (job.timer) clearTimeout(job.timer);
    job.reject(err);
  }

  /** A lost connection loses the BACKGROUND_JOB events too: nothing can resolve these any more. */
  failAll(code: EslErrorCode, reason: string): void {
    for (const [jobUuid, job] of [...this.jobs]) {
      this.jobs.delete(jobUuid);
      if (job.timer) clearTimeout(job.timer);
      job.reject(new EslError(code, `bgapi ${job.command}: ${reason}`));
    }
  }
}
