// Seeded randomness for the synthetic corpus: the same seed gives the same archive on every machine,
// so figures measured on two databases (or two days) describe the same works.

/** mulberry32: a tiny 32-bit generator, fast and plenty random for shaping a corpus. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median: heavy-tailed like word counts and kudos are. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** One 32-bit seed from two numbers (murmur3's finaliser), so each work has its own stream. */
export function mixSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ (index >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Draws an index from a fixed list of weights (cumulative table + binary search). */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (const [index, weight] of weights.entries()) {
      total += weight;
      this.cumulative[index] = total;
    }
    for (let index = 0; index < weights.length; index++) this.cumulative[index] /= total;
  }

  get size(): number {
    return this.cumulative.length;
  }

  /** The probability of drawing this index. */
  share(index: number): number {
    return this.cumulative[index] - (index === 0 ? 0 : this.cumulative[index - 1]);
  }

  sample(random: Random): number {
    const target = random.next();
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] <= target) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Zipf over ranks 0..size-1: rank r is drawn in proportion to 1 / (r + 1)^exponent. */
export function zipf(size: number, exponent: number): Weighted {
  return new Weighted(Array.from({ length: size }, (_, rank) => (rank + 1) ** -exponent));
}
