import { describe, expect, it } from '@jest/globals';
import { openDatabase } from './database.js';
import { readCache } from './read-cache.js';

describe('readCache', () => {
  const store = () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    return db;
  };

  it('answers from the cache until the store changes', () => {
    const db = store();
    const cache = readCache(db);
    let computed = 0;
    const sum = () => {
      computed++;
      return String(db.prepare('SELECT COALESCE(SUM(x), 0) FROM t').pluck().get());
    };
    expect(cache.get('a', sum)).toBe('0');
    expect(cache.get('a', sum)).toBe('0');
    expect(computed).toBe(1);
    db.prepare('INSERT INTO t VALUES (5)').run();
    expect(cache.get('a', sum)).toBe('5');
    db.prepare('UPDATE t SET x = 7').run();
    expect(cache.get('a', sum)).toBe('7');
    expect(computed).toBe(3);
    db.close();
  });

  it('keeps at most maxEntries and maxBytes, dropping the least recently used, and no answer too large', () => {
    const db = store();
    const cache = readCache(db, { maxEntries: 2, maxBytes: 800 });
    const computed: string[] = [];
    const answer =
      (key: string, size = 10) =>
      () => {
        computed.push(key);
        return key.repeat(size);
      };
    cache.get('a', answer('a'));
    cache.get('b', answer('b'));
    cache.get('a', answer('a')); // a is now the most recently used
    cache.get('c', answer('c')); // b goes
    cache.get('a', answer('a'));
    cache.get('b', answer('b'));
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
    computed.length = 0;
    cache.get('big', answer('big', 50)); // 150 bytes > 800 / 8: not kept
    cache.get('big', answer('big', 50));
    expect(computed).toEqual(['big', 'big']);
    computed.length = 0;
    cache.get('x', answer('x', 90)); // 90 + the two entries kept (10 + 10) fit in 800
    cache.get('y', answer('y', 90)); // three entries: the oldest goes
    expect(computed).toEqual(['x', 'y']);
    db.close();
  });
});
