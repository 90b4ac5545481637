/**
 * "The registry" as the running router sees it: one immutable version at a time, swapped whole
 * by a reload. What is derived from it (routing table, call policy, prompts) is built once per
 * version. Readers take `current` when a call starts and keep that for the call, so a call in
 * progress never sees half of one version and half of another.
 */
import type { Registry } from '../../config/schema.js';

export interface RegistryVersion {
  readonly registry: Registry;
  /** sha256 of the file's bytes */
  readonly sha256: string;
  /** epoch ms this node applied it */
  readonly appliedAt: number;
}

export class CurrentRegistry<Derived> {
  private version: RegistryVersion;
  private derivedValue: Derived;

  constructor(initial: RegistryVersion, private readonly derive: (registry: Registry) => Derived) {
    this.version = initial;
    this.derivedValue = derive(initial.registry);
  }

  get current(): RegistryVersion {
    return this.version;
  }

  get registry(): Registry {
    return this.version.registry;
  }

  get derived(): Derived {
    return this.derivedValue;
  }

  /** Derives first: a derivation that throws leaves the old version in place. */
  replace(next: RegistryVersion): void {
    const derived = this.derive(next.registry);
    this.version = next;
    this.derivedValue = derived;
  }
}
