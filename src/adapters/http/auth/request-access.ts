/**
 * What route handlers ask about the caller: may it see callers' numbers, and which lines'
 * data may it see. Without a principal (a public route, or an app built without the access
 * plugin) numbers are masked: the unmasked number is the thing that needs a right.
 */
import type { FastifyRequest } from 'fastify';
import { maskNumber } from '../../../lib/mask.js';
import type { Principal } from './types.js';

export function principalOf(request: FastifyRequest): Principal | null {
  // Apps built without the access plugin have no decoration at all.
  return (request as { principal?: Principal | null }).principal ?? null;
}

/** The caller's number as this request may see it: in full for admin and entitled supervisors. */
export function callerNumberFor(request: FastifyRequest, number: string): string;
export function callerNumberFor(request: FastifyRequest, number: string | null): string | null;
export function callerNumberFor(request: FastifyRequest, number: string | null): string | null {
  if (number === null) return null;
  return principalOf(request)?.canSeeCallerNumbers === true ? number : maskNumber(number);
}

/**
 * Which lines' data this request may see: a department token only its own lines (calls to 12345
 * itself belong to no department); every other principal everything (`undefined`).
 */
export function visibleLinesFor(request: FastifyRequest): ReadonlySet<string> | undefined {
  const p = principalOf(request);
  if (p?.role !== 'department') return undefined;
  return new Set(p.lines ?? []);
}

/** A predicate for filtering rows by their line (null: unknown line, hidden from departments). */
export function lineFilterFor(request: FastifyRequest): (line: string | null | undefined) => boolean {
  const visible = visibleLinesFor(request);
  if (visible === undefined) return () => true;
  return (line) => line !== null && line !== undefined && visible.has(line);
}
