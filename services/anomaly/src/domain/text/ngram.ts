/** Letters only, lower case, words separated by one space, with a space at each end. */
export function letters(text: string): string {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
  return words ? ` ${words} ` : '';
}

const add = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

/**
 * A character trigram model of text: how likely the letter sequences of a string are, in bits per letter,
 * against what it was trained on. Trigram, bigram and letter frequencies are interpolated (Jelinek–Mercer),
 * so a plausible sequence never seen whole still scores well; random letters score low.
 */
export class CharTrigrams {
  private readonly counts = new Map<string, number>();
  private total = 0;

  add(text: string, weight = 1): this {
    const s = letters(text);
    for (let i = 0; i < s.length; i++) {
      add(this.counts, s[i]!, weight);
      this.total += weight;
      if (i + 1 < s.length) add(this.counts, s.slice(i, i + 2), weight);
      if (i + 2 < s.length) add(this.counts, s.slice(i, i + 3), weight);
    }
    return this;
  }

  /** Share of the letters of `text` this model has never seen (another script, say). */
  unseenShare(text: string): number {
    const s = letters(text).replace(/ /g, '');
    if (!s.length) return 0;
    return [...s].filter((ch) => !this.counts.has(ch)).length / [...s].length;
  }

  /** Mean log2 probability of each letter given the two before it; undefined under 3 letters. */
  bitsPerChar(text: string): number | undefined {
    const s = letters(text);
    if (s.replace(/ /g, '').length < 3) return undefined;
    const count = (key: string) => this.counts.get(key) ?? 0;
    const letterKinds = 64; // room for letters never seen
    let sum = 0;
    let n = 0;
    for (let i = 2; i < s.length; i++) {
      const [a, b, c] = [s[i - 2]!, s[i - 1]!, s[i]!];
      const p1 = (count(c) + 1) / (this.total + letterKinds);
      const p2 = count(b) ? count(b + c) / count(b) : 0;
      const p3 = count(a + b) ? count(a + b + c) / count(a + b) : 0;
      sum += Math.log2(0.6 * p3 + 0.3 * p2 + 0.1 * p1);
      n++;
    }
    return sum / n;
  }
}
