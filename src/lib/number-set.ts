/**
 * A set of positive integers below 2^53 (E.164 numbers as digits) in one Float64Array:
 * open addressing with linear probing, 0 marks an empty slot. A million entries take 16 MB,
 * against ~35 MB for a `Set<number>` (each key a heap number plus its table entry).
 */
export class NumberSet {
  private slots = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(value: number): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = slotOf(value, mask); ; i = (i + 1) & mask) {
      const v = slots[i]!;
      if (v === value) return true;
      if (v === 0) return false;
    }
  }

  /** Adds `value`; false when it was already there. */
  add(value: number): boolean {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`NumberSet holds positive safe integers, got ${value}`);
    }
    // At most half full: probes stay short.
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = slotOf(value, mask); ; i = (i + 1) & mask) {
      const v = slots[i]!;
      if (v === value) return false;
      if (v === 0) {
        slots[i] = value;
        this.count++;
        return true;
      }
    }
  }

  private grow() {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.count = 0;
    for (const v of old) if (v !== 0) this.add(v);
  }
}

/** Mixes the high and low 32 bits (phones share long prefixes) into a slot index. */
function slotOf(value: number, mask: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / 4294967296);
  return (Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b) >>> 0) & mask;
}
