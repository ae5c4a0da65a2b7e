import { createRequire } from 'node:module';

/**
 * natural, by subpath (its root pulls 77 MB of dependencies and prints to stdout). Its stop-word lists of
 * ten languages are the gibberish model's picture of ordinary words, so a description in Spanish or Swedish
 * reads as language, not noise; its Bayes classifier tells categories apart.
 */
const require = createRequire(import.meta.url);

const LANGUAGES = ['', '_es', '_fr', '_it', '_nl', '_no', '_pl', '_pt', '_sv', '_id'];

export const referenceWords: readonly string[] = LANGUAGES.flatMap(
  (suffix) => (require(`natural/lib/natural/util/stopwords${suffix}`) as { words: string[] }).words,
);

export interface Classification {
  label: string;
  value: number;
}

export interface BayesClassifier {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): Classification[];
}

export const BayesClassifier =
  require('natural/lib/natural/classifiers/bayes_classifier') as new () => BayesClassifier;
