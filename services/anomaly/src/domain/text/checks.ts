import { createHash } from 'node:crypto';
import { where, type Finding, type InventoryEvent } from '../findings.js';
import { contentWords, type TextModel } from './model.js';

export interface TextThresholds {
  TEXT_MIN_LETTERS: number;
  TEXT_GIBBERISH_BITS: number;
  TEXT_OWN_CATEGORY_MAX: number;
}

/** Case, spacing and punctuation do not make two descriptions different. */
export const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const INJECTION = [
  /<\s*\/?\s*[a-z][^>]*>/i, // markup
  /javascript\s*:|on(error|load|click)\s*=/i,
  /^\s*[=+\-@]\s*[a-z0-9]*\s*[(|!]/i, // spreadsheet formula
  /('|")\s*(or|and)\s+[^=]*=|;\s*(drop|delete|insert|update)\s+|union\s+select|--\s*$/i, // SQL
  /\$\{[^}]*\}|\{\{[^}]*\}\}/, // template
];

const quote = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}…` : text}"`;
const hash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 16);

/**
 * The text checks of a description new for its product: empty or too short, markup or injection, gibberish,
 * another category's wording, and the same words already describing other products (`sharedWith`).
 */
export function textFindings(
  e: InventoryEvent & { description: string },
  model: TextModel | undefined,
  sharedWith: readonly string[],
  t: TextThresholds,
): Finding[] {
  const text = e.description;
  const key = hash(normalise(text));
  const found = (type: string, f: Omit<Finding, 'detector' | 'type' | 'cause'>): Finding => ({
    detector: 'text',
    type,
    cause: `text:${type}:${e.product_id}:${key}`,
    ...f,
  });
  const findings: Finding[] = [];
  const letterCount = [...text.replace(/[^\p{L}]/gu, '')].length;
  if (INJECTION.some((pattern) => pattern.test(text))) {
    findings.push(
      found('markup_or_injection', {
        severity: 'critical',
        score: 1,
        explanation: `The description of ${where(e)} contains markup or code (${quote(text)}); check where it was entered and correct it.`,
      }),
    );
  }
  if (letterCount < t.TEXT_MIN_LETTERS) {
    findings.push(
      found(text.trim() ? 'too_short_description' : 'empty_description', {
        severity: 'warning',
        score: t.TEXT_MIN_LETTERS - letterCount,
        explanation: text.trim()
          ? `The description of ${where(e)} has no real words (${quote(text)}); write what the product is.`
          : `${where(e)} has an empty description; write what the product is.`,
      }),
    );
    return findings;
  }
  const bits = model?.bitsPerLetter(text);
  const repeated = /(\p{L})\1{3,}/u.test(text);
  if (repeated || (bits !== undefined && bits < t.TEXT_GIBBERISH_BITS)) {
    findings.push(
      found('gibberish_description', {
        severity: 'warning',
        score: bits === undefined ? 10 : -bits,
        explanation: `The description of ${where(e)} reads like random letters (${quote(text)}); check the product record.`,
      }),
    );
  } else {
    findings.push(...wordingFindings(e, model, t, found));
  }
  if (sharedWith.length) {
    const others = [...sharedWith].sort();
    findings.push({
      detector: 'text',
      type: 'duplicate_description',
      severity: 'info',
      score: others.length,
      cause: `text:duplicate_description:${key}:${[...others, e.product_id].sort().join(',')}`,
      explanation: `${where(e)} has the same description as ${others.join(', ')} (${quote(text)}); check that they are different products.`,
    });
  }
  return findings;
}

type Found = (type: string, f: Omit<Finding, 'detector' | 'type' | 'cause'>) => Finding;

/**
 * Another category's wording, or words the category never uses. A description that replaces a product's
 * established one and shares no word with it is judged more readily (a product's description seldom changes
 * into another product's); a new product's only once its category has three established descriptions (a
 * classifier trained on one or two says little).
 */
function wordingFindings(
  e: InventoryEvent & { description: string },
  model: TextModel | undefined,
  t: TextThresholds,
  found: Found,
): Finding[] {
  const text = e.description;
  const usual = model?.usualOf(e.product_id);
  const usualWords = new Set(contentWords(usual ?? ''));
  const words = contentWords(text);
  const replaced = usual !== undefined && words.length > 0 && !words.some((w) => usualWords.has(w));
  if (!model || (!usual && model.descriptionsIn(e.category) < 3)) return [];
  const odds = model.categoryOdds(text);
  const own = odds?.get(e.category) ?? 0;
  const [best, p] = [...(odds ?? [])].sort((a, b) => b[1] - a[1])[0] ?? [e.category, 0];
  if (odds && best !== e.category && p >= 0.5 && (own <= t.TEXT_OWN_CATEGORY_MAX || replaced)) {
    return [
      found('wrong_category_description', {
        severity: 'warning',
        score: 1 - own,
        explanation: `The description of ${where(e)} (${quote(text)}) reads like a ${best} product; check the category or the description.`,
      }),
    ];
  }
  if (replaced || model.knownShare(text, e.category) === 0) {
    // a new product with words its category has not used yet is common in a real catalogue: a note; a
    // product's own description replaced by unrelated words is an anomaly
    const why = replaced
      ? `shares no word with its usual description (${quote(usual)})`
      : `shares no word with other ${e.category} products`;
    return [
      found('unfamiliar_description', {
        severity: replaced ? 'warning' : 'info',
        score: 1,
        explanation: `The description of ${where(e)} (${quote(text)}) ${why}; check the category or the description.`,
      }),
    ];
  }
  return [];
}
