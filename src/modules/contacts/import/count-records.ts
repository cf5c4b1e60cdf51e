/**
 * Counts a CSV file's non-blank records while it is being stored, byte by byte, so an import
 * can show "row 12,500 of 100,000" from its first batch (bytes read are no measure of rows:
 * the reader runs ahead of the writers). Quote-aware — a line break inside a quoted cell does
 * not end a record — and blind to 0x00, so UTF-16 text (ASCII characters are one byte and a
 * zero) counts like UTF-8 and Windows-1252. A record whose cells are all blank is not counted,
 * like the reader skips it; nor is Excel's `sep=;` first line.
 */

const QUOTE = 0x22;
const LF = 0x0a;
// Bytes that leave a record blank: whitespace and the delimiters we sniff.
const BLANK = new Set([0x20, 0x09, 0x0d, 0x2c, 0x3b, 0x7c]);
const FIELD_START = new Set([LF, 0x2c, 0x3b, 0x09, 0x7c]);
const SEP_LINE = [0x73, 0x65, 0x70, 0x3d]; // "sep="

export class RecordCounter {
  private records = 0;
  private inQuotes = false;
  /** A quote inside quotes: the end of the cell, or the first of an escaped pair (""). */
  private quotePending = false;
  private content = false;
  private previous = LF;
  private firstLine: number[] = [];
  private lineNo = 0;

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0) continue;
      if (this.lineNo === 0 && this.firstLine.length < SEP_LINE.length && b !== 0xef && b < 0x80) {
        this.firstLine.push(b | 0x20);
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (b === QUOTE) continue; // "" inside quotes: a literal quote
          this.inQuotes = false; // the quote closed the cell; this byte is outside
        } else {
          if (b === QUOTE) this.quotePending = true;
          continue;
        }
      }
      if (b === QUOTE && FIELD_START.has(this.previous)) {
        this.inQuotes = true;
        this.content = true;
      } else if (b === LF) {
        this.endLine();
      } else if (!BLANK.has(b)) {
        this.content = true;
      }
      this.previous = b === 0x20 ? this.previous : b;
    }
  }

  /** Non-blank records, the header row included. */
  total(): number {
    return this.records + (this.content ? 1 : 0) - (this.isSepLine() ? 1 : 0);
  }

  private endLine() {
    if (this.content) this.records++;
    this.content = false;
    this.lineNo++;
  }

  private isSepLine(): boolean {
    return (
      this.records + (this.content ? 1 : 0) > 0 && SEP_LINE.every((c, i) => this.firstLine[i] === c)
    );
  }
}
