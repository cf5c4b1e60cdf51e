import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectBinary, sniffEncoding } from "./sniff-encoding";

const CSV = "numero;nombre;grupo\r\n0981123456;Núñez;Peña\r\n";

describe("sniffEncoding", () => {
  it("reads a UTF-8 BOM", () => {
    const head = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, "utf8")]);
    expect(sniffEncoding(head)).toEqual({ encoding: "utf8", bomLength: 3 });
  });

  it("recognises UTF-8 without a BOM", () => {
    expect(sniffEncoding(Buffer.from(CSV, "utf8"))).toEqual({ encoding: "utf8", bomLength: 0 });
  });

  it("still says UTF-8 when the head is cut in the middle of a character", () => {
    const full = Buffer.from("nombre\nPeña\nJosé 😀", "utf8");
    for (const cut of [1, 2, 3]) {
      expect(sniffEncoding(full.subarray(0, full.length - cut)).encoding).toBe("utf8");
    }
    const enye = Buffer.from("Peña", "utf8");
    expect(sniffEncoding(enye.subarray(0, enye.length - 2)).encoding).toBe("utf8");
  });

  it("falls back to Windows-1252 for Spanish Excel bytes", () => {
    const head = iconv.encode("Núñez;Peña\r\n0981123456;José\r\n", "win1252");
    expect(sniffEncoding(head)).toEqual({ encoding: "windows1252", bomLength: 0 });
  });

  it("reads UTF-16 LE and BE BOMs", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, "utf16le")]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, "utf16be")]);
    expect(sniffEncoding(le)).toEqual({ encoding: "utf16le", bomLength: 2 });
    expect(sniffEncoding(be)).toEqual({ encoding: "utf16be", bomLength: 2 });
  });

  it("recognises UTF-16 without a BOM from its NUL pattern", () => {
    expect(sniffEncoding(iconv.encode(CSV, "utf16le"))).toEqual({
      encoding: "utf16le",
      bomLength: 0,
    });
    expect(sniffEncoding(iconv.encode(CSV, "utf16be"))).toEqual({
      encoding: "utf16be",
      bomLength: 0,
    });
  });

  it("treats an ASCII-only head as UTF-8", () => {
    expect(sniffEncoding(Buffer.from("phone,name\n+595981123456,Ana\n"))).toEqual({
      encoding: "utf8",
      bomLength: 0,
    });
  });
});

describe("detectBinary", () => {
  it("names an .xlsx (zip) file and tells the user to export CSV", () => {
    const head = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(100, 1)]);
    expect(detectBinary(head)).toBe("zip");
  });

  it("names a PNG image and an old .xls file", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(detectBinary(png)).toBe("png");
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(detectBinary(xls)).toBe("xls");
  });

  it("rejects random bytes containing NULs", () => {
    let seed = 7;
    const head = Buffer.alloc(4096);
    for (let i = 0; i < head.length; i++)
      head[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    head[100] = 0;
    expect(detectBinary(head)).toBe("nul");
  });

  it("rejects text sprinkled with control characters", () => {
    const head = Buffer.from("a\x01b\x02c\x03d\x04e\x05f,".repeat(50), "latin1");
    expect(detectBinary(head)).toBe("control");
  });

  it("accepts plain CSV in every encoding we read", () => {
    expect(detectBinary(Buffer.from(CSV, "utf8"))).toBeNull();
    expect(detectBinary(iconv.encode(CSV, "win1252"))).toBeNull();
    expect(
      detectBinary(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, "utf16le")])),
    ).toBeNull();
    expect(detectBinary(iconv.encode(CSV, "utf16be"))).toBeNull();
  });

  it("accepts an empty head (emptiness is reported elsewhere)", () => {
    expect(detectBinary(Buffer.alloc(0))).toBeNull();
  });
});
