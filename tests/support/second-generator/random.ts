import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded source of random numbers and the few distributions the second generator draws from.
 * Every stream is derived from the user's seed and a name (`streamSeed`), so a store × product series draws
 * from its own stream: adding a store or changing the anomaly share never shifts another series' numbers.
 */
export interface Random {
  /** Uniform in [lo, hi). */
  uniform(lo?: number, hi?: number): number;
  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  normal(mean?: number, sd?: number): number;
  /** Poisson count with the given mean (any mean ≥ 0: inversion when small, PTRS rejection when large). */
  poisson(mean: number): number;
  /** Gamma variate with the given shape and scale 1 (Marsaglia–Tsang); the mixing law of a negative binomial. */
  gamma(shape: number): number;
  bernoulli(p: number): boolean;
}

/** FNV-1a over the seed and the stream's name, then a murmur3 finaliser so near names give far seeds. */
export function streamSeed(seed: number, ...name: (string | number)[]): number {
  const text = `${seed}/${name.join('/')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  const next = () => uniformFloat64(rng);
  const random: Random = {
    uniform: (lo = 0, hi = 1) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    // Box–Muller without caching the twin value: one state fewer to reason about, speed is not an issue here
    normal: (mean = 0, sd = 1) =>
      mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    poisson: (mean) => (mean < 30 ? poissonInversion(mean, next()) : poissonPtrs(mean, next)),
    gamma: (shape) => gamma(shape, next, random.normal),
    bernoulli: (p) => next() < p,
  };
  return random;
}

/** Sequential search of the CDF: one uniform per draw, exact, and fast while the mean is small. */
function poissonInversion(mean: number, u: number): number {
  if (mean <= 0) return 0;
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  // the k < 1000 guard only stops a loop on a rounding shortfall of the CDF far in the tail
  while (u > cdf && k < 1000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** Hörmann's transformed rejection (PTRS, 1993): constant time for large means, exact. */
function poissonPtrs(mean: number, next: () => number): number {
  const slam = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = next() - 0.5;
    const v = next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
    if (lhs <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

/** ln k!: exact sum for small k, Stirling's series (error < 1e-10) beyond. */
function logFactorial(k: number): number {
  if (k < 20) {
    let sum = 0;
    for (let i = 2; i <= k; i++) sum += Math.log(i);
    return sum;
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
}

function gamma(shape: number, next: () => number, normal: () => number): number {
  // shape < 1: draw with shape + 1 and scale down by u^(1/shape) (Marsaglia–Tsang's own boost)
  if (shape < 1) return gamma(shape + 1, next, normal) * Math.pow(1 - next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
