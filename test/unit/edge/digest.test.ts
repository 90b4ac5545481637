import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkNonce, digestCheck, digestHa1, digestResponseValid, mintNonce } from '../../../src/adapters/sip-edge/digest-crypto.js';
import { digestChallenge, parseDigestCredentials } from '../../../src/core/edge/index.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

describe('parseDigestCredentials', () => {
  it('reads quoted and token parameters in any order and case, with escapes inside quotes', () => {
    const c = parseDigestCredentials('Digest username="1001",realm="hotline", nonce="a.b.c",uri="sip:edge.example", response="ABCDEF",'
      + ' algorithm=MD5, cnonce="x\\"y", qop=auth, nc=00000001');
    expect(c).toEqual({ username: '1001', realm: 'hotline', nonce: 'a.b.c', uri: 'sip:edge.example', response: 'ABCDEF', algorithm: 'MD5', qop: 'auth', nc: '00000001', cnonce: 'x"y' });
    expect(parseDigestCredentials('digest USERNAME="u", Realm="r", nonce=n, uri="sip:x", response=r')?.username).toBe('u');
  });

  it('refuses what is not Digest, lacks a required parameter, repeats one or is cut off', () => {
    expect(parseDigestCredentials('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(parseDigestCredentials('Digest username="1001", realm="r", nonce="n", uri="sip:x"')).toBeUndefined();
    expect(parseDigestCredentials('Digest username="1001", username="1002", realm="r", nonce="n", uri="sip:x", response="r"')).toBeUndefined();
    expect(parseDigestCredentials('Digest username="1001, realm="r"')).toBeUndefined();
    expect(parseDigestCredentials('Digest username')).toBeUndefined();
    expect(parseDigestCredentials('')).toBeUndefined();
  });
});

describe('digest response (RFC 2617 MD5)', () => {
  const ha1 = digestHa1('1001', 'hotline', 'secret-1001');

  it('HA1 is md5(user:realm:password)', () => {
    expect(ha1).toBe(md5('1001:hotline:secret-1001'));
  });

  it('accepts the response a phone computes with qop=auth, and the RFC 2069 form without qop', () => {
    const ha2 = md5('REGISTER:sip:edge.example');
    const withQop = md5(`${ha1}:N:00000001:C:auth:${ha2}`);
    expect(digestResponseValid({ username: '1001', realm: 'hotline', nonce: 'N', uri: 'sip:edge.example', response: withQop, qop: 'auth', nc: '00000001', cnonce: 'C' }, 'REGISTER', ha1)).toBe(true);
    const without = md5(`${ha1}:N:${ha2}`);
    expect(digestResponseValid({ username: '1001', realm: 'hotline', nonce: 'N', uri: 'sip:edge.example', response: without.toUpperCase() }, 'REGISTER', ha1)).toBe(true);
  });

  it('refuses a wrong password, another method, a missing cnonce, and algorithms it does not implement', () => {
    const ha2 = md5('REGISTER:sip:edge.example');
    const base = { username: '1001', realm: 'hotline', nonce: 'N', uri: 'sip:edge.example', qop: 'auth', nc: '00000001', cnonce: 'C' };
    const good = md5(`${ha1}:N:00000001:C:auth:${ha2}`);
    expect(digestResponseValid({ ...base, response: good }, 'REGISTER', digestHa1('1001', 'hotline', 'wrong'))).toBe(false);
    expect(digestResponseValid({ ...base, response: good }, 'INVITE', ha1)).toBe(false);
    const { cnonce: _omit, ...noCnonce } = base;
    expect(digestResponseValid({ ...noCnonce, response: good }, 'REGISTER', ha1)).toBe(false);
    expect(digestResponseValid({ ...base, response: good, algorithm: 'MD5-sess' }, 'REGISTER', ha1)).toBe(false);
    expect(digestResponseValid({ ...base, response: good, qop: 'auth-int' }, 'REGISTER', ha1)).toBe(false);
  });
});

describe('stateless nonces', () => {
  const key = 'k'.repeat(40);
  const at = 1_790_000_000_000;

  it('a nonce checks with the same key and source within its lifetime, on any edge holding the key', () => {
    const n = mintNonce(key, at, 'rnd1', '192.0.2.7');
    expect(checkNonce(key, n, at + 1000, '192.0.2.7', 300_000)).toBe('ok');
    expect(checkNonce(key, n, at + 300_001, '192.0.2.7', 300_000)).toBe('stale');
  });

  it('refuses a nonce from another key, answered from another source, altered, or not ours at all', () => {
    const n = mintNonce(key, at, 'rnd1', '192.0.2.7');
    expect(checkNonce('x'.repeat(40), n, at, '192.0.2.7', 300_000)).toBe('bad');
    expect(checkNonce(key, n, at, '192.0.2.8', 300_000)).toBe('bad');
    const [issued, random, mac] = n.split('.') as [string, string, string];
    expect(checkNonce(key, `${(parseInt(issued, 36) + 1).toString(36)}.${random}.${mac}`, at, '192.0.2.7', 300_000)).toBe('bad');
    expect(checkNonce(key, 'df24fd41-4fc5-416f-b163-90f774ca0358', at, '192.0.2.7', 300_000)).toBe('bad');
    expect(checkNonce(key, '..', at, '192.0.2.7', 300_000)).toBe('bad');
  });

  it('digestCheck makes a fresh nonce each time from its random source', () => {
    let i = 0;
    const check = digestCheck(key, () => `r${++i}`);
    const a = check.newNonce('192.0.2.7', at);
    const b = check.newNonce('192.0.2.7', at);
    expect(a).not.toBe(b);
    expect(check.nonce(a, '192.0.2.7', at, 1000)).toBe('ok');
  });

  it('the challenge names realm, nonce, MD5 and qop=auth, and says stale only when asked', () => {
    expect(digestChallenge('hotline', 'N')).toBe('Digest realm="hotline", nonce="N", algorithm=MD5, qop="auth"');
    expect(digestChallenge('hotline', 'N', true)).toMatch(/, stale=true$/);
  });
});
