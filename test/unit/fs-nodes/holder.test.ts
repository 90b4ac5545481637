/** Which FreeSWITCH node holds a call, the router's ESL targets, and the nodes' summed load. */
import { describe, expect, it } from 'vitest';
import { callOrigin, combinedLoad, eslTargets, nodeHoldingCall, splitEslAddress, SINGLE_NODE } from '../../../src/core/fs-nodes/index.js';

const a = { name: 'fs-a', switchname: 'host-1', coreUuid: 'core-a' };
const b = { name: 'fs-b', switchname: 'host-2', coreUuid: 'core-b' };

describe('nodeHoldingCall', () => {
  it('one node holds every call, whatever the call says (ESL_HOST alone)', () => {
    expect(nodeHoldingCall([{ name: SINGLE_NODE }], {})).toBe(SINGLE_NODE);
    expect(nodeHoldingCall([{ name: SINGLE_NODE, switchname: 'x', coreUuid: 'y' }], { switchname: 'other', coreUuid: 'z' })).toBe(SINGLE_NODE);
  });

  it('several: the Core-UUID first, then the learned switchname', () => {
    expect(nodeHoldingCall([a, b], { coreUuid: 'core-b', switchname: 'host-1' })).toBe('fs-b');
    expect(nodeHoldingCall([a, b], { switchname: 'host-2' })).toBe('fs-b');
    expect(nodeHoldingCall([a, b], { coreUuid: 'core-restarted', switchname: 'host-1' })).toBe('fs-a');
  });

  it('two nodes on one host share the default switchname: only the Core-UUID tells them apart', () => {
    const sameHost = [{ ...a, switchname: 'box' }, { ...b, switchname: 'box' }];
    expect(nodeHoldingCall(sameHost, { coreUuid: 'core-a', switchname: 'box' })).toBe('fs-a');
    expect(nodeHoldingCall(sameHost, { coreUuid: 'unknown', switchname: 'box' })).toBeUndefined();
  });

  it('a switchname equal to a node\'s registry name places the call before that node\'s link ever connected', () => {
    expect(nodeHoldingCall([{ name: 'fs-a' }, { name: 'fs-b' }], { switchname: 'fs-b' })).toBe('fs-b');
    // A learned switchname outranks another node's name.
    expect(nodeHoldingCall([{ name: 'fs-a', switchname: 'fs-b' }, { name: 'fs-b' }], { switchname: 'fs-b' })).toBe('fs-a');
  });

  it('several nodes and nothing matching (or nothing said): no node', () => {
    expect(nodeHoldingCall([a, b], {})).toBeUndefined();
    expect(nodeHoldingCall([a, b], { switchname: '', coreUuid: '' })).toBeUndefined();
    expect(nodeHoldingCall([a, b], { switchname: 'host-9', coreUuid: 'core-9' })).toBeUndefined();
    expect(nodeHoldingCall([], { switchname: 'host-1' })).toBeUndefined();
  });

  it('callOrigin reads the channel data FreeSWITCH sends on the outbound socket', () => {
    expect(callOrigin({ 'Core-UUID': 'core-a', 'FreeSWITCH-Switchname': 'host-1', 'Unique-ID': 'u' })).toEqual({ coreUuid: 'core-a', switchname: 'host-1' });
    expect(callOrigin({})).toEqual({ coreUuid: undefined, switchname: undefined });
  });
});

describe('eslTargets', () => {
  const single = { host: '10.0.0.5', port: 8021 };
  it('without nodes: the one node of ESL_HOST, named as its /health component always was', () => {
    expect(eslTargets(undefined, single)).toEqual([{ name: 'freeswitch', host: '10.0.0.5', port: 8021 }]);
    expect(eslTargets([], single)).toEqual([{ name: 'freeswitch', host: '10.0.0.5', port: 8021 }]);
  });

  it('with nodes: every node\'s event socket, IPv6 without its brackets', () => {
    expect(eslTargets([{ name: 'fs-a', esl: '10.0.0.11:8021' }, { name: 'fs-b', esl: '[fd00::12]:8022' }], single)).toEqual([
      { name: 'fs-a', host: '10.0.0.11', port: 8021 },
      { name: 'fs-b', host: 'fd00::12', port: 8022 },
    ]);
  });

  it('an address that is not host:port is refused (the schema keeps it out of a loaded registry)', () => {
    expect(splitEslAddress('10.0.0.11')).toBeUndefined();
    expect(splitEslAddress('10.0.0.11:0')).toBeUndefined();
    expect(splitEslAddress('10.0.0.11:70000')).toBeUndefined();
    expect(splitEslAddress('fs.example:8021')).toEqual({ host: 'fs.example', port: 8021 });
    expect(() => eslTargets([{ name: 'fs-a', esl: 'nowhere' }], single)).toThrow(/fs-a/);
  });
});

describe('combinedLoad', () => {
  const load = (sessions: number, maxSessions: number, sessionsPerSecondMax: number) => ({ sessions, maxSessions, sessionsPerSecondMax });
  it('sums the nodes read now; a node not read is left out; none read is unknown', () => {
    expect(combinedLoad([load(10, 100, 30), load(50, 200, 60)])).toEqual(load(60, 300, 90));
    expect(combinedLoad([load(10, 100, 30), undefined])).toEqual(load(10, 100, 30));
    expect(combinedLoad([undefined, undefined])).toBeUndefined();
    expect(combinedLoad([])).toBeUndefined();
  });

  it('one reading is returned as is (the shedder counts calls since a reading by its identity)', () => {
    const only = load(1, 2, 3);
    expect(combinedLoad([undefined, only])).toBe(only);
  });
});
