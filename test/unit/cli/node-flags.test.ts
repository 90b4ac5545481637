import { describe, expect, it } from 'vitest';
import { SIMULATOR_NODE_FLAGS, nodeFlagsToAdd } from '../../../src/cli/node-flags.js';

describe('node flags for the simulator commands', () => {
  it('simulate and staff need the larger young generation; other commands nothing', () => {
    expect(nodeFlagsToAdd(['simulate', 'r.yaml'], [])).toEqual(SIMULATOR_NODE_FLAGS);
    expect(nodeFlagsToAdd(['staff', 'r.yaml'], ['--enable-source-maps'])).toEqual(SIMULATOR_NODE_FLAGS);
    expect(nodeFlagsToAdd(['serve'], [])).toEqual([]);
    expect(nodeFlagsToAdd([], [])).toEqual([]);
  });

  it('a node already started with the flag, at any value, is not started again', () => {
    expect(nodeFlagsToAdd(['simulate'], ['--max-semi-space-size=64'])).toEqual([]);
    expect(nodeFlagsToAdd(['simulate'], ['--max-semi-space-size=16'])).toEqual([]);
  });
});
