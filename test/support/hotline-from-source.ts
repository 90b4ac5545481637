/**
 * `bin/hotline.js` from source (run with `node --import tsx`): the router as an operator starts
 * it, without a build — process tests see the code under test, never a stale dist/.
 */
import { main } from '../../src/cli.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
});
