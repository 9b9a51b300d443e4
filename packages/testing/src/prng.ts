/**
 * A small seeded PRNG (sfc32). Test models must be byte-identical for the same seed on every machine,
 * and generating them must stay fast inside jest, whose vm contexts make every call to a built-in
 * (`Math.imul`, `Math.log`, `Math.sin`, ...) roughly 50x slower. So the hot paths use only integer
 * and float arithmetic: sfc32 needs no multiply, and bell-shaped values come from summing uniforms
 * rather than from Box-Muller's log/sqrt/cos. Plain arithmetic is also exactly reproducible everywhere.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds (42, 43) start far apart.
    const h = hashSeed(seed);
    this.a = h;
    this.b = h ^ 0x9e3779b9;
    this.c = h ^ 0x85ebca6b;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) * TWO_POW_MINUS_32;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + ((this.next() * (max - min + 1)) | 0);
  }

  /**
   * A new Float32Array of `length` bell-shaped values with mean 0 and the given standard deviation:
   * each is a sum of 4 uniforms (Irwin-Hall), centred and scaled to variance 1, so tails stop at
   * 3.46 sigma (BERT's original TF init truncates its normal at 2 sigma). The state lives in locals
   * for speed.
   */
  bellShaped(length: number, std: number): Float32Array {
    const out = new Float32Array(length);
    let { a, b, c, d } = this;
    for (let i = 0; i < length; i++) {
      let sum = -2;
      for (let k = 0; k < 4; k++) {
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (c << 21) | (c >>> 11);
        c = (c + t) | 0;
        sum += (t >>> 0) * TWO_POW_MINUS_32;
      }
      out[i] = sum * SQRT3 * std;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return out;
  }
}

const TWO_POW_MINUS_32 = 1 / 4294967296;
// The sum of 4 uniforms has variance 4/12; this scales it to 1.
const SQRT3 = Math.sqrt(3);

/** Derives an independent stream for a named purpose, so adding a tensor does not shift the others. */
export function deriveSeed(seed: number, purpose: string): number {
  let h = hashSeed(seed);
  for (let i = 0; i < purpose.length; i++) {
    h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function hashSeed(seed: number): number {
  // splitmix32-style finaliser over the low 32 bits (seed is validated as a safe integer).
  let h = (seed >>> 0) ^ Math.floor(seed / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
