import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let offset = pool.length;
let lastMs = 0;
let seq = 0;

/**
 * Time-ordered UUIDs (RFC 9562 v7): rows inserted together land next to each other in the
 * primary-key index instead of on random pages — what makes bulk imports into a large table
 * fast. Monotonic within a process via a 12-bit counter.
 */
export function uuidv7(): string {
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = pool[offset]! & 0x7f;
  } else if (++seq > 0xfff) {
    // Counter exhausted within one millisecond: borrow the next one to stay monotonic.
    lastMs++;
    seq = 0;
  }
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  pool.copy(b, 8, offset, offset + 8);
  offset += 8;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
