import { describe, expect, it } from '@jest/globals';
import { openDatabase } from './database.js';
import { readCache } from './read-cache.js';

describe('readCache', () => {
  it('answers from the cache until the store changes, and keeps at most maxEntries', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const cache = readCache(db, 2);
    let computed = 0;
    const sum = () => {
      computed++;
      return db.prepare('SELECT COALESCE(SUM(x), 0) AS s FROM t').pluck().get() as number;
    };
    expect(cache.get('a', sum)).toBe(0);
    expect(cache.get('a', sum)).toBe(0);
    expect(computed).toBe(1);
    db.prepare('INSERT INTO t VALUES (5)').run();
    expect(cache.get('a', sum)).toBe(5);
    expect(computed).toBe(2);
    db.prepare('UPDATE t SET x = 7').run();
    expect(cache.get('a', sum)).toBe(7);
    cache.get('b', sum);
    cache.get('c', sum); // 'a' is the oldest: dropped
    computed = 0;
    cache.get('c', sum);
    cache.get('a', sum);
    expect(computed).toBe(1);
    db.close();
  });
});
