import { isUtf8 } from "node:buffer";

export type SniffedEncoding = {
  encoding: "utf8" | "utf16le" | "utf16be" | "windows1252";
  bomLength: number;
};

type Utf16 = "utf16le" | "utf16be";

// Enough pairs to judge the NUL pattern without scanning the whole 64 KiB head.
const UTF16_PROBE_BYTES = 4096;

/**
 * The encoding of a file from its first bytes (≤64 KiB). A BOM wins; then UTF-16 without a
 * BOM; then strict UTF-8; anything else is Windows-1252, which is what Spanish Excel writes
 * for "CSV (delimitado por comas)".
 */
export function sniffEncoding(head: Buffer): SniffedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: "utf8", bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf16le", bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf16be", bomLength: 2 };
  // Before the UTF-8 check: NUL is valid UTF-8, so ASCII-only UTF-16 would pass it.
  const utf16 = sniffUtf16(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(head.subarray(0, completeUtf8Length(head)))) return { encoding: "utf8", bomLength: 0 };
  return { encoding: "windows1252", bomLength: 0 };
}

/**
 * The head is cut at a fixed size, so its last character may be incomplete: measure up to
 * the start of a trailing sequence that is missing bytes, and let everything before it
 * decide.
 */
function completeUtf8Length(buf: Buffer): number {
  const end = buf.length;
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const byte = buf[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < needed ? i : end;
  }
  return end;
}

/** BOM-less UTF-16: text that is mostly Latin has a NUL in every other byte. */
function sniffUtf16(head: Buffer): Utf16 | null {
  const pairs = Math.floor(Math.min(head.length, UTF16_PROBE_BYTES) / 2);
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let p = 0; p < pairs; p++) {
    if (head[2 * p] === 0) evenNul++;
    if (head[2 * p + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.4 && evenNul <= pairs * 0.05) return "utf16le";
  if (evenNul >= pairs * 0.4 && oddNul <= pairs * 0.05) return "utf16be";
  return null;
}

/** What a non-text upload looks like: the `kind` param of the `import.notCsv` code. */
export type BinaryKind =
  "zip" | "xls" | "pdf" | "png" | "jpeg" | "gif" | "gzip" | "executable" | "nul" | "control";

type Magic = { bytes: number[]; kind: BinaryKind };

const MAGIC: Magic[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: "zip" },
  { bytes: [0x50, 0x4b, 0x05, 0x06], kind: "zip" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], kind: "xls" },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: "pdf" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: "png" },
  { bytes: [0xff, 0xd8, 0xff], kind: "jpeg" },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: "gif" },
  { bytes: [0x1f, 0x8b], kind: "gzip" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: "executable" },
];

// Above this share of control characters a "text" file is noise, not data.
const MAX_CONTROL_RATIO = 0.02;
// Tab, line breaks, vertical tab (FileMaker's in-cell break), form feed, DOS end-of-file mark.
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a]);

/**
 * What the first bytes are when they are not a CSV file, or null when they look like text.
 * Cheap enough to run while the upload is still streaming in.
 */
export function detectBinary(head: Buffer): BinaryKind | null {
  for (const magic of MAGIC) {
    if (magic.bytes.every((byte, i) => head[i] === byte)) return magic.kind;
  }
  const { encoding, bomLength } = sniffEncoding(head);
  if (encoding === "utf16le" || encoding === "utf16be") {
    const body = head.subarray(bomLength, bomLength + ((head.length - bomLength) & ~1));
    const text = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be").decode(body);
    return controlReason(text.length, (i) => text.charCodeAt(i));
  }
  return controlReason(head.length, (i) => head[i]!);
}

function controlReason(length: number, codeAt: (i: number) => number): BinaryKind | null {
  let controls = 0;
  for (let i = 0; i < length; i++) {
    const code = codeAt(i);
    if (code === 0) return "nul";
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) controls++;
  }
  if (length > 0 && controls / length > MAX_CONTROL_RATIO) {
    return "control";
  }
  return null;
}
