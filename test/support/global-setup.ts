// Shared servers for the whole run (redis-server on a free port, ...) are started here
// so that every suite talks to real parts; each one is optional and says when it is absent.
export default function setup(): void {
  // nothing shared yet
}
