/**
 * A Map bounded to `capacity` entries that forgets the oldest insertion first, in constant time.
 *
 * Written by hand because the obvious `map.delete(map.keys().next().value)` is not constant time in V8: a Map keeps
 * deleted entries as holes until it rehashes, and a new iterator walks over every hole at the front, so evicting
 * from a full map that keeps taking new keys costs thousands of steps per insert (bench/verify-cost.ts measured it
 * as most of a fresh token's verification). A ring of insertion slots names the next entry to forget instead.
 *
 * A key deleted and set again keeps its old slot too, so it may be forgotten early: harmless for a cache.
 */
export class FifoMap<Key, Value> {
  private readonly entries = new Map<Key, Value>();
  private readonly insertionSlots: (Key | undefined)[];
  private nextSlot = 0;

  constructor(private readonly capacity: number) {
    this.insertionSlots = new Array<Key | undefined>(Math.max(0, capacity));
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: Key): Value | undefined {
    return this.entries.get(key);
  }

  delete(key: Key): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.insertionSlots.fill(undefined);
    this.nextSlot = 0;
  }

  set(key: Key, value: Value): void {
    if (this.capacity <= 0) return;
    if (!this.entries.has(key)) {
      const oldest = this.insertionSlots[this.nextSlot];
      if (oldest !== undefined) this.entries.delete(oldest);
      this.insertionSlots[this.nextSlot] = key;
      this.nextSlot = (this.nextSlot + 1) % this.capacity;
    }
    this.entries.set(key, value);
  }
}
