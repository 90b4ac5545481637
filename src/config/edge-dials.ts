/**
 * Agents rung through the SIP edge. Behind an edge no phone registers on a FreeSWITCH node — phones
 * register at the edge, whichever node holds the call — so FreeSWITCH's `user/<id>` (its own
 * directory's registrations) reaches nobody there. With `edge:` in the registry, an agent written
 * `user/<id>` is dialled `sofia/<profile>/<id>@<edge sip>` instead: the edge proxies that INVITE to
 * every phone the agent registered (docs/edge.md). Any other dial string (a gateway, a phone on a
 * node's own profile) is the engineer's explicit choice and stays as written. Applied once, when
 * the registry is loaded, so the router, the generated dialplan's fallback and the desk all use the
 * same dial strings.
 */
import type { Registry } from './schema.js';

const LOCAL_USER = /^user\/([^@\s/]+)$/;

export function withEdgeDials(registry: Registry): Registry {
  const edge = registry.edge;
  if (edge === undefined) return registry;
  return {
    ...registry,
    agents: registry.agents.map((a) => {
      const user = LOCAL_USER.exec(a.dial)?.[1];
      return user === undefined ? a : { ...a, dial: `sofia/${edge.profile}/${user}@${edge.sip}` };
    }),
  };
}
