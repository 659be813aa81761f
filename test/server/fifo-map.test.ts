import { describe, expect, it } from 'vitest';
import { FifoMap } from '../../src/server/tenants/fifo-map.js';

describe('FifoMap (the remembered-token map)', () => {
  it('holds at most its capacity and forgets the oldest insertion first', () => {
    const map = new FifoMap<string, number>(3);
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, index);
    expect(map.size).toBe(3);
    expect(map.get('a')).toBeUndefined();
    expect([map.get('b'), map.get('c'), map.get('d')]).toEqual([1, 2, 3]);
  });

  it('updates a key in place without taking a new slot', () => {
    const map = new FifoMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(10);
    map.set('c', 3);
    // 'a' was inserted first: an update does not make it newer.
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBe(2);
  });

  it('stays bounded under a long stream of distinct keys with deletes in between', () => {
    const map = new FifoMap<number, number>(100);
    for (let key = 0; key < 10_000; key++) {
      map.set(key, key);
      if (key % 7 === 0) map.delete(key - 3);
    }
    expect(map.size).toBeLessThanOrEqual(100);
    expect(map.get(9_999)).toBe(9_999);
  });

  it('keeps nothing with capacity 0, and clear() empties it', () => {
    const empty = new FifoMap<string, number>(0);
    empty.set('a', 1);
    expect(empty.size).toBe(0);
    const map = new FifoMap<string, number>(2);
    map.set('a', 1);
    map.clear();
    expect(map.get('a')).toBeUndefined();
    map.set('b', 2);
    expect(map.get('b')).toBe(2);
  });
});
