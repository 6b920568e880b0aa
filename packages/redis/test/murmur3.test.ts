import { describe, expect, it } from 'vitest';
import { murmur3_32 } from '../src/murmur3.js';
import { mmh3Field } from '../src/keys.js';
import { referenceMurmur3 } from './reference-murmur3.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('murmur3_32', () => {
  it("matches the reference vectors (Python mmh3.hash(s, signed=False), Feast's _mmh3)", () => {
    expect(murmur3_32(utf8('foo'))).toBe(4138058784);
    expect(murmur3_32(utf8('hello'))).toBe(613153351);
    expect(murmur3_32(utf8(''))).toBe(0);
  });

  it('matches the published MurmurHash3_x86_32 verification values (with seeds)', () => {
    expect(murmur3_32(utf8(''), 1)).toBe(0x514e28b7);
    expect(murmur3_32(utf8(''), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3_32(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3_32(utf8('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3_32(utf8('abc'), 0)).toBe(0xb3dd93fa);
    expect(murmur3_32(utf8('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3_32(utf8('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('agrees with an independent BigInt implementation on every length 0..64 and on random inputs', () => {
    let state = 12345;
    const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) & 0xff;
    for (let len = 0; len <= 64; len++) {
      const bytes = Uint8Array.from({ length: len }, rand);
      expect(BigInt(murmur3_32(bytes))).toBe(referenceMurmur3(bytes));
    }
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: 1 + (rand() % 200) }, rand);
      const seed = (rand() << 24) | (rand() << 8) | rand();
      expect(BigInt(murmur3_32(bytes, seed))).toBe(referenceMurmur3(bytes, BigInt(seed >>> 0)));
    }
    for (const s of ['driver_hourly_stats:conv_rate', 'ü:é', '\u{1F600}:x', 'a'.repeat(1000)]) {
      expect(BigInt(murmur3_32(utf8(s)))).toBe(referenceMurmur3(utf8(s)));
    }
  });

  it("gives Feast's field bytes: the hash as 4 bytes little-endian", () => {
    // mmh3("foo") = 4138058784 = 0xf6a5c420
    expect(mmh3Field('foo').toString('hex')).toBe('20c4a5f6');
    expect(mmh3Field('hello').toString('hex')).toBe(Buffer.from(Uint32Array.of(613153351).buffer).toString('hex'));
  });
});
