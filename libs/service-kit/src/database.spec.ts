import { describe, expect, it } from '@jest/globals';
import { migrate, MigrationError, openDatabase, type Migration } from './database.js';

const v1: Migration[] = [
  { id: 1, name: 'items', up: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)' },
];
const v2: Migration[] = [
  ...v1,
  { id: 2, name: 'items.price', up: 'ALTER TABLE items ADD COLUMN price REAL' },
];

describe('openDatabase', () => {
  it('creates the inbox and outbox with the service tables, in WAL mode', () => {
    const db = openDatabase(':memory:', v1);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['inbox', 'items', 'outbox', 'schema_migrations']));
    db.close();
  });
});

describe('migrate', () => {
  it('applies only the migrations a store has not seen, in order', () => {
    const db = openDatabase(':memory:', v1);
    expect(migrate(db, 'service', v2)).toBe(1);
    expect(migrate(db, 'service', v2)).toBe(0);
    db.prepare('INSERT INTO items (name, price) VALUES (?, ?)').run('x', 2.5);
    db.close();
  });

  it('refuses a store written by a newer version', () => {
    const db = openDatabase(':memory:', v2);
    expect(() => migrate(db, 'service', v1)).toThrow(
      new MigrationError('service: the store has migration 2 (items.price), unknown to this version'),
    );
    db.close();
  });

  it('refuses a migration whose name changed after release', () => {
    const db = openDatabase(':memory:', v1);
    expect(() => migrate(db, 'service', [{ ...v1[0]!, name: 'things' }])).toThrow(
      /migration 1 was 'items', now 'things'/,
    );
    db.close();
  });

  it('rolls back a migration that fails, leaving the store as it was', () => {
    const db = openDatabase(':memory:', v1);
    const broken: Migration[] = [
      ...v1,
      { id: 2, name: 'broken', up: 'CREATE TABLE t (a); SELECT nope FROM missing' },
    ];
    expect(() => migrate(db, 'service', broken)).toThrow(/no such table: missing/);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 't'").pluck().get()).toBe(0);
    expect(migrate(db, 'service', v2)).toBe(1);
    db.close();
  });
});
