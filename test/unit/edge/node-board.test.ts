import { describe, expect, it } from 'vitest';
import { failsOver, NodeBoard, rankNodes, type NodeView } from '../../../src/core/edge/index.js';

const nodes = [{ name: 'fs-a', maxSessions: 10 }, { name: 'fs-b', maxSessions: 10 }, { name: 'fs-c', maxSessions: 20 }];
const upBoard = (): NodeBoard => {
  const b = new NodeBoard(nodes);
  for (const n of nodes) b.keepAlive(n.name, 200);
  return b;
};

describe('NodeBoard', () => {
  it('tries nodes not yet probed, so the first call after start does not wait for a keep-alive', () => {
    expect(new NodeBoard(nodes).candidates()).toEqual(['fs-a', 'fs-b', 'fs-c']);
  });

  it('sends the next call to the least loaded node, by share of its limit', () => {
    const b = upBoard();
    for (let i = 0; i < 4; i++) b.callPlaced('fs-a');
    for (let i = 0; i < 2; i++) b.callPlaced('fs-b');
    for (let i = 0; i < 6; i++) b.callPlaced('fs-c');
    // fs-b 2/10 = 0.2, fs-c 6/20 = 0.3, fs-a 4/10 = 0.4.
    expect(b.candidates()).toEqual(['fs-b', 'fs-c', 'fs-a']);
    b.callEnded('fs-a');
    b.callEnded('fs-a');
    b.callEnded('fs-a');
    expect(b.candidates()).toEqual(['fs-a', 'fs-b', 'fs-c']);
  });

  it('skips a full node', () => {
    const b = upBoard();
    for (let i = 0; i < 10; i++) b.callPlaced('fs-a');
    expect(b.candidates()).toEqual(['fs-b', 'fs-c']);
    b.callEnded('fs-a');
    expect(b.candidates()).toContain('fs-a');
  });

  it('puts a node down after two missed keep-alives in a row, and up at its next answer', () => {
    const b = upBoard();
    b.keepAlive('fs-a', undefined);
    expect(b.candidates()).toContain('fs-a');
    b.keepAlive('fs-a', 500);
    expect(b.candidates()).toEqual(['fs-b', 'fs-c']);
    b.keepAlive('fs-a', 200);
    expect(b.candidates()).toEqual(['fs-a', 'fs-b', 'fs-c']);
  });

  it('a single miss between answers does not accumulate', () => {
    const b = upBoard();
    b.keepAlive('fs-a', undefined);
    b.keepAlive('fs-a', 200);
    b.keepAlive('fs-a', undefined);
    expect(b.candidates()).toContain('fs-a');
  });

  it('a node that answers INVITEs is not put down by late keep-alives (a loaded node answers OPTIONS late)', () => {
    const b = upBoard();
    b.keepAlive('fs-a', undefined);
    b.inviteAnswered('fs-a');
    b.keepAlive('fs-a', undefined);
    expect(b.candidates()).toContain('fs-a');
    // Nothing from it between two probes: down, as before.
    b.keepAlive('fs-a', undefined);
    expect(b.candidates()).not.toContain('fs-a');
    // A down node is not offered calls; an answer to one (a call placed before) brings it back.
    b.inviteAnswered('fs-a');
    expect(b.candidates()).toContain('fs-a');
  });

  it('an answered INVITE clears the suspicion of an earlier failed one', () => {
    const b = upBoard();
    b.inviteFailed('fs-a');
    expect(b.candidates()).toEqual(['fs-b', 'fs-c', 'fs-a']);
    b.inviteAnswered('fs-a');
    expect(b.candidates()).toEqual(['fs-a', 'fs-b', 'fs-c']);
  });

  it('skips a draining node (503 to OPTIONS, or an operator\'s drain) until it takes work again', () => {
    const b = upBoard();
    b.keepAlive('fs-b', 503);
    expect(b.candidates()).toEqual(['fs-a', 'fs-c']);
    b.keepAlive('fs-b', 200);
    expect(b.candidates()).toEqual(['fs-a', 'fs-b', 'fs-c']);
    b.setDraining('fs-c', true);
    expect(b.candidates()).toEqual(['fs-a', 'fs-b']);
  });

  it('tries a node that failed an INVITE last, until its next keep-alive answer', () => {
    const b = upBoard();
    b.inviteFailed('fs-a');
    expect(b.candidates()).toEqual(['fs-b', 'fs-c', 'fs-a']);
    b.keepAlive('fs-a', 200);
    expect(b.candidates()[0]).toBe('fs-a');
  });

  it('has no candidate when every node is down, draining or full', () => {
    const b = upBoard();
    b.keepAlive('fs-a', undefined);
    b.keepAlive('fs-a', undefined);
    b.setDraining('fs-b', true);
    for (let i = 0; i < 20; i++) b.callPlaced('fs-c');
    expect(b.candidates()).toEqual([]);
  });

  it('refuses a node it does not know', () => {
    expect(() => upBoard().callPlaced('fs-z')).toThrow('unknown FreeSWITCH node "fs-z"');
  });
});

describe('rankNodes', () => {
  const v = (name: string, o: Partial<NodeView> = {}): NodeView => ({ name, state: 'up', draining: false, sessions: 0, maxSessions: 10, suspect: false, ...o });
  it('ranks up, then not yet probed, then suspect; load breaks ties within a tier', () => {
    expect(rankNodes([v('s', { suspect: true }), v('u', { state: 'unknown' }), v('b', { sessions: 5 }), v('a', { sessions: 9 }), v('d', { state: 'down' })]))
      .toEqual(['b', 'a', 'u', 's']);
  });
});

describe('failsOver', () => {
  it.each([[undefined, true], [500, true], [503, true], [599, true], [486, false], [404, false], [603, false], [200, false]])('%s → %s', (status, next) => {
    expect(failsOver(status)).toBe(next);
  });
});
