import { describe, expect, it } from '@jest/globals';
import type { InventoryEvent } from '../findings.js';
import { normalise, textFindings } from './checks.js';
import { TextModel } from './model.js';

const T = { TEXT_MIN_LETTERS: 6, TEXT_GIBBERISH_BITS: -6, TEXT_OWN_CATEGORY_MAX: 0.3 };
const catalogue = new TextModel(
  [
    ['Electronics', 'Voltara wireless headphones with noise cancelling'],
    ['Electronics', 'Nexon compact charger with USB-C fast charging'],
    ['Electronics', 'Sonique portable speaker with a 20-hour battery'],
    ['Electronics', 'Lumen smart webcam with a privacy shutter'],
    ['Books', 'Penwright hardcover novel signed by the author'],
    ['Books', 'Folio illustrated cookbook with seasonal recipes'],
    ['Books', 'Quill paperback mystery novel of the year'],
    ['Books', 'Penwright illustrated atlas of the world'],
  ].map(([category, description], i) => ({
    product_id: `P${i}`,
    category: category!,
    description: description!,
  })),
);
const check = (description: string, category = 'Electronics', sharedWith: string[] = []) =>
  textFindings(
    {
      event_id: 'ev-9',
      product_id: 'P100',
      store_location: 'NYC',
      category,
      description,
    } as InventoryEvent & { description: string },
    catalogue,
    sharedWith,
    T,
  );
const types = (description: string, category?: string) => check(description, category).map((f) => f.type);

describe('text checks', () => {
  it('find nothing in a new description that fits its category', () => {
    expect(types('Voltara portable headphones with a privacy shutter')).toEqual([]);
    expect(types('Quill hardcover cookbook signed by the author', 'Books')).toEqual([]);
  });

  it('read a description in another language as language, not gibberish', () => {
    expect(types('Auriculares inalámbricos con cancelación de ruido')).not.toContain('gibberish_description');
    expect(types('Écouteurs sans fil avec réduction de bruit')).not.toContain('gibberish_description');
    expect(types('Беспроводные наушники с шумоподавлением')).not.toContain('gibberish_description');
  });

  it('find random letters gibberish, explaining it', () => {
    expect(check('xkqzv bcdfgh tmplrz wqx')).toEqual([
      expect.objectContaining({
        detector: 'text',
        type: 'gibberish_description',
        severity: 'warning',
        explanation:
          'The description of P100 (Electronics) at NYC reads like random letters ("xkqzv bcdfgh tmplrz wqx"); check the product record.',
      }),
    ]);
    expect(types('Voltara headphones aaaaaaaa')).toEqual(['gibberish_description']);
  });

  it('find an emoji-only or empty description too short', () => {
    expect(types('🎧🎧🎧 🔊')).toEqual(['too_short_description']);
    expect(types('   ')).toEqual(['empty_description']);
    expect(types('')).toEqual(['empty_description']);
  });

  it('find markup, script, formula and SQL injection', () => {
    expect(types('<script>alert(1)</script> wireless headphones')).toContain('markup_or_injection');
    expect(types('=cmd|"/c calc"!A1 wireless speaker')).toContain('markup_or_injection');
    expect(types("headphones'; DROP TABLE events; --")).toContain('markup_or_injection');
    expect(types('Headphones with 20% off - best value (2-pack)')).toEqual([]);
  });

  it("find another category's wording: classified as it, or sharing no word with its own", () => {
    const found = check('Folio hardcover mystery novel signed by the author');
    expect(found).toEqual([
      expect.objectContaining({
        type: 'wrong_category_description',
        explanation:
          'The description of P100 (Electronics) at NYC ("Folio hardcover mystery novel signed by the author") reads like a Books product; check the category or the description.',
      }),
    ]);
    // words no product of the category uses: another category the catalogue does not have, or another
    // language; for a new product (P100 has no description of its own yet) a note, not an anomaly
    expect(check('Breathable cycling helmet, adjustable straps').map((f) => [f.type, f.severity])).toEqual([
      ['unfamiliar_description', 'info'],
    ]);
    expect(check('Auriculares inalámbricos con cancelación de ruido')[0]!.explanation).toBe(
      'The description of P100 (Electronics) at NYC ("Auriculares inalámbricos con cancelación de ruido") shares no word with other Electronics products; check the category or the description.',
    );
  });

  it('report a description other products already have, once per set of products', () => {
    const [dup] = check('Voltara wireless headphones with noise cancelling', 'Electronics', ['P0']);
    expect(dup).toMatchObject({
      type: 'duplicate_description',
      severity: 'info',
      cause: expect.stringContaining(':P0,P100'),
    });
  });

  it('normalise case, spacing and punctuation', () => {
    expect(normalise('  CHERRY Blossom,  decorative-FLASK ')).toBe('cherry blossom decorative flask');
  });

  it("judges a description that replaces a product's own and shares no word with it more readily", () => {
    const replace = (description: string, product: string) =>
      textFindings(
        {
          event_id: 'ev-10',
          product_id: product,
          store_location: 'NYC',
          category: 'Electronics',
          description,
        } as InventoryEvent & {
          description: string;
        },
        catalogue,
        [],
        T,
      ).map((f) => [f.type, f.explanation]);
    // P0's own description is the Voltara headphones: a cookbook's words in its place
    expect(replace('Folio seasonal cookbook', 'P0')).toEqual([
      ['wrong_category_description', expect.stringContaining('reads like a Books product')],
    ]);
    expect(replace('Garden hose with brass fittings', 'P0')).toEqual([
      [
        'unfamiliar_description',
        expect.stringContaining('shares no word with its usual description ("Voltara wireless'),
      ],
    ]);
    // an edit that keeps a word of the usual description is not judged so
    expect(replace('Voltara wireless headphones, black', 'P0')).toEqual([]);
  });
});
