/**
 * Token lookup in constant time: the presented token is hashed, then compared with every known
 * digest by timingSafeEqual, without stopping at a match. Hashing first gives equal-length
 * inputs (timingSafeEqual needs them) and means only digests are kept in memory.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenEntry } from '../../../settings/access.js';
import type { Principal } from './types.js';

export function sha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

interface Known {
  readonly digest: Buffer;
  readonly principal: Principal;
}

export class TokenStore {
  private readonly known: readonly Known[];

  /** `linesOf`: a department's line numbers, fixed when the store is built (the registry is). */
  constructor(entries: readonly TokenEntry[], linesOf: (department: string) => readonly string[] = () => []) {
    const known = entries.map((e): Known => ({
      digest: 'token' in e ? sha256(e.token) : Buffer.from(e.sha256, 'hex'),
      principal: Object.freeze({
        name: e.name,
        role: e.role,
        canSeeCallerNumbers: e.role === 'admin' || (e.role === 'supervisor' && e.canSeeCallerNumbers === true),
        ...(e.agentId === undefined ? {} : { agentId: e.agentId }),
        ...(e.department === undefined ? {} : { department: e.department, lines: Object.freeze([...linesOf(e.department)]) }),
      }),
    }));
    const hex = known.map((k) => k.digest.toString('hex'));
    if (new Set(hex).size !== hex.length) {
      // Two holders with one token: audit lines could not tell them apart.
      throw new Error('the same token appears twice in the tokens file');
    }
    this.known = known;
  }

  get size(): number {
    return this.known.length;
  }

  principals(): readonly Principal[] {
    return this.known.map((k) => k.principal);
  }

  /** The token's holder, or undefined. Same work whichever entry matches, or none. */
  find(token: string): Principal | undefined {
    const presented = sha256(token);
    let found: Principal | undefined;
    for (const k of this.known) {
      if (timingSafeEqual(presented, k.digest) && found === undefined) found = k.principal;
    }
    return found;
  }
}
