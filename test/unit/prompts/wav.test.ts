import { describe, expect, it } from 'vitest';
import { readWavInfo } from '../../../src/prompts/index.js';

function wav(sampleRate: number, channels: number, samples: number, extraChunk = false): Uint8Array {
  const data = samples * channels * 2;
  const extra = extraChunk ? 8 + 4 : 0;
  const buf = Buffer.alloc(44 + extra + data);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + extra + data, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24); buf.writeUInt32LE(sampleRate * channels * 2, 28); buf.writeUInt16LE(channels * 2, 32); buf.writeUInt16LE(16, 34);
  let at = 36;
  if (extraChunk) { buf.write('LIST', at); buf.writeUInt32LE(4, at + 4); buf.write('INFO', at + 8); at += 12; }
  buf.write('data', at); buf.writeUInt32LE(data, at + 4);
  return buf;
}

describe('readWavInfo', () => {
  it('reads rate, channels, bits and duration, walking past extra chunks', () => {
    expect(readWavInfo(wav(8000, 1, 8000))).toEqual({ format: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, dataBytes: 16000, durationSeconds: 1 });
    expect(readWavInfo(wav(22050, 2, 11025, true)).durationSeconds).toBe(0.5);
  });

  it('rejects what is not a WAV', () => {
    expect(() => readWavInfo(Buffer.from('ID3 not a wav at all'))).toThrow(/RIFF/);
  });
});
