/** Every method call on `target` first calls `touch` (the event clock's sign of activity). */
export function touching<T extends object>(target: T, touch: () => void): T {
  // One wrapper per method, made on first use: a wrapper per call would be garbage per call.
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, key) {
      const known = wrapped.get(key);
      if (known !== undefined) return known;
      const v: unknown = Reflect.get(t, key, t);
      if (typeof v !== 'function') return v;
      const w = (...args: unknown[]): unknown => {
        touch();
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
      wrapped.set(key, w);
      return w;
    },
  });
}
