import { CharTrigrams } from './ngram.js';
import { BayesClassifier, referenceWords } from './reference.js';

const STOP = new Set(referenceWords);

/** Lower-case words of three letters or more that are not stop words of any reference language. */
export const contentWords = (text: string) =>
  (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/\p{L}{3,}/gu) ?? []
  ).filter((w) => !STOP.has(w));

export interface CatalogueEntry {
  product_id: string;
  description: string;
  category: string;
}

/**
 * What the catalogue says descriptions look like: a letter model (the reference words plus every
 * established description, weighted) and a classifier from description to category.
 */
export class TextModel {
  private readonly letters = new CharTrigrams().add(referenceWords.join(' '));
  private readonly classifier = new BayesClassifier();
  readonly categories: ReadonlySet<string>;
  private readonly vocabulary = new Map<string, { words: Set<string>; descriptions: number }>();
  private readonly usual = new Map<string, string>();

  constructor(readonly entries: readonly CatalogueEntry[]) {
    for (const e of entries) {
      this.usual.set(e.product_id, e.description);
      this.letters.add(e.description, 3);
      this.classifier.addDocument(e.description, e.category);
      const v = this.vocabulary.get(e.category) ?? { words: new Set<string>(), descriptions: 0 };
      for (const word of contentWords(e.description)) v.words.add(word);
      v.descriptions++;
      this.vocabulary.set(e.category, v);
    }
    this.categories = new Set(entries.map((e) => e.category));
    if (this.categories.size >= 2) this.classifier.train();
  }

  /** The product's established description (its most frequent, seen at least twice), if it has one. */
  usualOf(product: string): string | undefined {
    return this.usual.get(product);
  }

  /** Established descriptions of a category. */
  descriptionsIn(category: string): number {
    return this.vocabulary.get(category)?.descriptions ?? 0;
  }

  /** Bits per letter against the catalogue; undefined when too short or mostly in a script it has not seen. */
  bitsPerLetter(text: string): number | undefined {
    if (this.letters.unseenShare(text) > 0.3) return undefined;
    return this.letters.bitsPerChar(text);
  }

  /**
   * Share of the text's content words that other descriptions of `category` use; undefined when the category
   * has fewer than 3 established descriptions or the text no content word.
   */
  knownShare(text: string, category: string): number | undefined {
    const v = this.vocabulary.get(category);
    const words = contentWords(text);
    if (!v || v.descriptions < 3 || !words.length) return undefined;
    return words.filter((w) => v.words.has(w)).length / words.length;
  }

  /** Probability of each category given the text; undefined with fewer than two categories or no known word. */
  categoryOdds(text: string): Map<string, number> | undefined {
    if (this.categories.size < 2) return undefined;
    const all = this.classifier.getClassifications(text);
    const sum = all.reduce((s, c) => s + c.value, 0);
    const odds = new Map(all.map((c) => [c.label, sum > 0 ? c.value / sum : 0]));
    const values = [...odds.values()];
    // every category equally likely: the classifier knows none of the words
    return Math.max(...values) - Math.min(...values) < 1e-9 ? undefined : odds;
  }
}
