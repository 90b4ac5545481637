/**
 * ESL decode throughput: `node --import tsx bench/esl-decode.bench.ts`
 *
 * 1. Events/s through EslFrameParser + decodeEventFrame for a stream of realistic json CHANNEL_*
 *    events (≈100 headers, as FreeSWITCH sends them) cut into random-size chunks. Target ≥ 50k/s.
 * 2. Time to parse one api/response body of 4, 8 and 16 MiB arriving in 64 KiB chunks — ours
 *    should double with the size (linear); modesl 1.2.1's Parser, which Buffer.concat's the whole
 *    backlog on every chunk, roughly quadruples (quadratic).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { decodeEventFrame } from '../src/adapters/esl/codec/event-decode.js';
import { EslFrameParser } from '../src/adapters/esl/codec/frame-parser.js';
import { FsCore, channelHeaders, newChannelProfile } from '../test/support/fs-peer/events.js';
import { eventFrame } from '../test/support/fs-peer/framing.js';

const EVENTS = 20_000;
const NAMES = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP'];

/** Deterministic PRNG so every run cuts the stream the same way. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildStream(): Buffer {
  const core = new FsCore('fs1.hotline.local');
  const parts: Buffer[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const profile = newChannelProfile({ callerNumber: `1390000${String(i % 10000).padStart(4, '0')}`, destination: '12345' });
    const vars: [string, string][] = [];
    for (let v = 0; v < 60; v += 1) vars.push([`variable_var_${v}`, `value ${v} for call ${i} ; sip:1000@10.0.0.${v % 255}`]);
    const headers = [...channelHeaders(profile, { answered: i % 2 === 0, state: 'CS_EXECUTE' }), ...vars];
    const name = NAMES[i % NAMES.length] ?? 'CHANNEL_CREATE';
    parts.push(Buffer.from(eventFrame('json', core.create(name, headers).headers)));
  }
  return Buffer.concat(parts);
}

function chunk(stream: Buffer, rnd: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < stream.length;) {
    const size = 1 + Math.floor(rnd() * 65536);
    out.push(stream.subarray(at, at + size));
    at += size;
  }
  return out;
}

function decodeRun(chunks: Buffer[]): { ms: number; events: number } {
  const parser = new EslFrameParser();
  let events = 0;
  const t0 = performance.now();
  for (const c of chunks) {
    for (const frame of parser.push(c)) {
      const r = decodeEventFrame(frame);
      if (r.ok) events += 1;
    }
  }
  return { ms: performance.now() - t0, events };
}

function bigBody(bytes: number): Buffer[] {
  const head = Buffer.from(`Content-Type: api/response\nContent-Length: ${bytes}\n\n`);
  const all = Buffer.concat([head, Buffer.alloc(bytes, 0x61)]);
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += 65536) out.push(all.subarray(at, at + 65536));
  return out;
}

function oursBig(chunks: Buffer[]): number {
  const parser = new EslFrameParser();
  const t0 = performance.now();
  let frames = 0;
  for (const c of chunks) frames += parser.push(c).length;
  if (frames !== 1) throw new Error('expected one frame');
  return performance.now() - t0;
}

function modeslBig(chunks: Buffer[]): number {
  const require = createRequire(import.meta.url);
  const Parser = require('modesl/lib/esl/Parser') as new (socket: EventEmitter) => EventEmitter;
  const socket = new EventEmitter();
  const parser = new Parser(socket);
  let frames = 0;
  parser.on('esl::event', () => { frames += 1; });
  const t0 = performance.now();
  for (const c of chunks) socket.emit('data', c);
  if (frames !== 1) throw new Error('modesl: expected one frame');
  return performance.now() - t0;
}

const gc = (globalThis as { gc?: () => void }).gc;
const stream = buildStream();
const chunks = chunk(stream, mulberry32(12345));
console.log(`stream: ${EVENTS} json CHANNEL_* events, ${(stream.length / 1048576).toFixed(1)} MiB, ${chunks.length} chunks of 1..65536 B`);
decodeRun(chunks); // warm-up
const runs: number[] = [];
for (let r = 0; r < 5; r += 1) {
  gc?.();
  const { ms, events } = decodeRun(chunks);
  if (events !== EVENTS) throw new Error(`decoded ${events}/${EVENTS}`);
  runs.push(ms);
}
runs.sort((a, b) => a - b);
const median = runs[2] ?? 0;
const rate = EVENTS / (median / 1000);
console.log(`decode: ${Math.round(rate).toLocaleString('en-US')} events/s (median of 5, ${median.toFixed(0)} ms; ` +
  `${(stream.length / 1048576 / (median / 1000)).toFixed(0)} MiB/s) — target 50,000/s: ${rate >= 50_000 ? 'met' : 'NOT met'}`);

const sizes = [4, 8, 16];
const ours = sizes.map((mib) => { gc?.(); oursBig(bigBody(mib * 1048576)); gc?.(); return oursBig(bigBody(mib * 1048576)); });
console.log(`api/response body, ours:   ${sizes.map((s, i) => `${s} MiB ${(ours[i] ?? 0).toFixed(1)} ms`).join(' | ')}`);
if (!process.argv.includes('--no-modesl')) {
  const theirs = sizes.map((mib) => { gc?.(); return modeslBig(bigBody(mib * 1048576)); });
  console.log(`api/response body, modesl: ${sizes.map((s, i) => `${s} MiB ${(theirs[i] ?? 0).toFixed(1)} ms`).join(' | ')}`);
  const ratio = (xs: number[]): string => ((xs[2] ?? 0) / Math.max(xs[0] ?? 1, 0.001)).toFixed(1);
  console.log(`16 MiB / 4 MiB time ratio: ours ${ratio(ours)}× (linear ≈ 4×), modesl ${ratio(theirs)}× (quadratic ≈ 16×)`);
}
