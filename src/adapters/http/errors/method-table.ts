/**
 * The methods each path answers, from the routes as they are registered: a request for a path
 * that exists under another method is a 405 with `Allow`, not a 404. The routes' paths are
 * plain segments and `:params` (no wildcards, no regex parameters), so each becomes one regex.
 */
interface PathMethods {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternOf(url: string): RegExp {
  const parts = url.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : escape(segment)));
  return new RegExp(`^${parts.join('/')}$`);
}

export class MethodTable {
  private readonly byUrl = new Map<string, PathMethods>();

  add(url: string, methods: string | readonly string[]): void {
    let entry = this.byUrl.get(url);
    if (entry === undefined) {
      entry = { pattern: patternOf(url), methods: new Set() };
      this.byUrl.set(url, entry);
    }
    for (const m of typeof methods === 'string' ? [methods] : methods) entry.methods.add(m.toUpperCase());
  }

  /** Every method some route answers on this path (its query string ignored), sorted. */
  allowed(rawUrl: string): string[] {
    const path = rawUrl.split('?', 1)[0] ?? '';
    const methods = new Set<string>();
    for (const { pattern, methods: m } of this.byUrl.values()) {
      if (pattern.test(path)) for (const x of m) methods.add(x);
    }
    return [...methods].sort();
  }
}
