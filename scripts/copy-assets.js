// Copies the wall board's static files next to the compiled plugin (dist/…/board/assets), so the
// built server serves them the same way the sources do. tsc copies only what it compiles.
import { cpSync, existsSync } from 'node:fs';

const pairs = [['src/adapters/http/board/assets', 'dist/adapters/http/board/assets']];
for (const [from, to] of pairs) {
  if (!existsSync(from)) throw new Error(`copy-assets: ${from} is missing`);
  cpSync(from, to, { recursive: true });
}
