/**
 * A second MurmurHash3_x86_32, written from the algorithm's description with
 * BigInt arithmetic modulo 2^32 (no Math.imul, no 32-bit tricks), to check the
 * store's implementation on inputs no published table covers.
 */
export function referenceMurmur3(bytes: Uint8Array, seed = 0n): bigint {
  const M = 0xffffffffn;
  const mul = (a: bigint, b: bigint) => (a * b) & M;
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (32n - r))) & M;
  const c1 = 0xcc9e2d51n;
  const c2 = 0x1b873593n;
  let h = seed & M;
  const nblocks = Math.floor(bytes.length / 4);
  for (let b = 0; b < nblocks; b++) {
    let k = 0n;
    for (let j = 3; j >= 0; j--) k = (k << 8n) | BigInt(bytes[b * 4 + j]!);
    k = mul(rotl(mul(k, c1), 15n), c2);
    h = rotl(h ^ k, 13n);
    h = (mul(h, 5n) + 0xe6546b64n) & M;
  }
  let k = 0n;
  const tail = bytes.length % 4;
  for (let j = tail - 1; j >= 0; j--) k = (k << 8n) | BigInt(bytes[nblocks * 4 + j]!);
  if (tail > 0) h ^= mul(rotl(mul(k, c1), 15n), c2);
  h ^= BigInt(bytes.length);
  h ^= h >> 16n;
  h = mul(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return h;
}

/** Feast's `_mmh3(s)` from first principles: the reference hash of UTF-8 `s`, 4 bytes little-endian. */
export function feastField(s: string): Buffer {
  const h = referenceMurmur3(new TextEncoder().encode(s));
  return Buffer.from([0n, 8n, 16n, 24n].map((shift) => Number((h >> shift) & 0xffn)));
}
