import { describe, expect, it } from '@jest/globals';
import { openDatabase } from '../database.js';
import {
  compareBy,
  likePattern,
  orderBySql,
  parseSort,
  queryError,
  searchSql,
  type Order,
} from './list-query.js';
import { toFieldIssues } from './validation.js';

const DEFAULT: Order = [
  ['store_location', 1],
  ['product_id', 1],
];
const KNOWN = ['store_location', 'product_id', 'quantity', 'description'];

describe('parseSort', () => {
  it('is the default order without sort', () => {
    expect(parseSort(undefined, DEFAULT, KNOWN)).toBe(DEFAULT);
    expect(parseSort('', DEFAULT, KNOWN)).toBe(DEFAULT);
  });

  it('reads columns and directions, and appends the default order as the tie-break without repeating', () => {
    expect(parseSort('-quantity,product_id', DEFAULT, KNOWN)).toEqual([
      ['quantity', -1],
      ['product_id', 1],
      ['store_location', 1],
    ]);
    expect(parseSort(' -quantity , product_id', DEFAULT, KNOWN)).toEqual(
      parseSort('-quantity,product_id', DEFAULT),
    );
    expect(parseSort('-store_location', DEFAULT, KNOWN)).toEqual([
      ['store_location', -1],
      ['product_id', 1],
    ]);
  });

  it('refuses an unknown column, an empty one and a repeated one, naming sort', () => {
    const issues = (text: string) => {
      try {
        parseSort(text, DEFAULT, KNOWN);
      } catch (err) {
        const e = err as { statusCode: number; validation: never; validationContext: string };
        expect(e.statusCode).toBe(400);
        return toFieldIssues(e.validation, e.validationContext);
      }
      throw new Error(`${text} was accepted`);
    };
    expect(issues('-price')).toEqual([
      {
        field: 'querystring.sort',
        message:
          "cannot sort by 'price'; sortable columns: store_location, product_id, quantity, description",
      },
    ]);
    expect(issues('quantity,,product_id')[0]!.message).toBe(
      "has an empty column name (in 'quantity,,product_id')",
    );
    expect(issues('-')[0]!.message).toBe("has an empty column name (in '-')");
    expect(issues('quantity,-quantity')[0]!.message).toBe("names 'quantity' twice");
  });

  it('takes any name without a list of known columns (the gateway leaves judging to the services)', () => {
    expect(parseSort('-price', DEFAULT)).toEqual([['price', -1], ...DEFAULT]);
  });
});

describe('orderBySql and searchSql', () => {
  const db = openDatabase(':memory:');
  db.exec(`CREATE TABLE t (id INTEGER, name TEXT, note TEXT, n REAL)`);
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  [
    [1, 'Books 100%', 'a_b', 3],
    [2, 'books 100', 'ab', null],
    [3, 'BOOKS_1', 'x\\y', 3],
    [4, 'Toys', null, 1.5],
    [5, 'b😀', 'é', -2],
    [6, 'b\uffff', 'É', 7],
  ].forEach((r) => insert.run(...r));
  const columns = { id: 'id', name: 'name', n: 'n' };
  const ids = (q: string | undefined, order: Order = [['id', 1]]) =>
    db
      .prepare(`SELECT id FROM t WHERE ${searchSql(['name', 'note'])} ORDER BY ${orderBySql(order, columns)}`)
      .pluck()
      .all({ q: likePattern(q) });

  it('finds a substring case-insensitively, its % and _ and \\ matching only themselves', () => {
    expect(ids(undefined)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids('')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids('bOOks')).toEqual([1, 2, 3]);
    expect(ids('100%')).toEqual([1]);
    expect(ids('s_')).toEqual([3]);
    expect(ids('a_b')).toEqual([1]);
    expect(ids('x\\y')).toEqual([3]);
    expect(ids('%')).toEqual([1]);
  });

  it('sorts as the order says, and compareBy sorts items exactly as SQLite sorts the rows', () => {
    const byName: Order = [
      ['name', 1],
      ['id', 1],
    ];
    const byValue: Order = [
      ['n', -1],
      ['id', 1],
    ];
    const orders: Order[] = [
      byValue,
      [
        ['n', 1],
        ['id', -1],
      ],
      byName,
      [
        ['name', -1],
        ['id', 1],
      ],
    ];
    expect(ids(undefined, byValue)).toEqual([6, 1, 3, 4, 5, 2]);
    const items = db.prepare('SELECT id, name, n FROM t').all() as Record<string, unknown>[];
    for (const order of orders) {
      const sorted = [...items].sort(compareBy(order)).map((i) => i.id);
      expect(sorted).toEqual(ids(undefined, order));
    }
    // past U+FFFF: bytes, not UTF-16 units (😀 is after \uffff in UTF-8)
    expect(ids(undefined, byName).slice(-2)).toEqual([6, 5]);
  });

  it('never takes a column without SQL of its own', () => {
    expect(() => orderBySql([['name; DROP TABLE t', 1]], columns)).toThrow(
      "no SQL for the sort column 'name; DROP TABLE t'",
    );
  });

  it('makes errors the kit answers as a 400 naming the parameter', () => {
    const e = queryError('q', 'is too long') as Error & { validation: never; validationContext: string };
    expect(toFieldIssues(e.validation, e.validationContext)).toEqual([
      { field: 'querystring.q', message: 'is too long' },
    ]);
  });
});
