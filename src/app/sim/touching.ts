/**
 * Every method call on `target` first calls `touch` (the event clock's sign of activity).
 * A plain object with one wrapper per method, made once, whose prototype is `target` (other
 * properties read through to it): a Proxy's get trap ran on every store call of a simulated day.
 */
export function touching<T extends object>(target: T, touch: () => void): T {
  const wrapper = Object.create(target) as Record<PropertyKey, unknown>;
  const bound = target as Record<PropertyKey, unknown>;
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Reflect.ownKeys(o)) {
      if (key === 'constructor' || Object.prototype.hasOwnProperty.call(wrapper, key)) continue;
      // Methods only: a getter is not called here, it is read through the prototype when used.
      const method: unknown = Object.getOwnPropertyDescriptor(o, key)?.value;
      if (typeof method !== 'function') continue;
      wrapper[key] = (...args: unknown[]): unknown => {
        touch();
        return (method as (...a: unknown[]) => unknown).apply(bound, args);
      };
    }
  }
  return wrapper as T;
}
