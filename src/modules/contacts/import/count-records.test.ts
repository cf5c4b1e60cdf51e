import { describe, expect, it } from "vitest";
import { RecordCounter } from "./count-records";

function count(text: string | Buffer, pieces = 3): number {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const counter = new RecordCounter();
  // Fed in uneven pieces, as an upload arrives.
  for (let i = 0; i < bytes.length; i += pieces) counter.push(bytes.subarray(i, i + pieces));
  return counter.total();
}

describe("RecordCounter", () => {
  it("counts records, with or without a final line break, CRLF or LF", () => {
    expect(count("a,b\n1,2\n3,4\n")).toBe(3);
    expect(count("a,b\r\n1,2\r\n3,4")).toBe(3);
    expect(count("")).toBe(0);
  });

  it("skips blank lines and lines of empty cells, as the reader does", () => {
    expect(count("a;b\n\n1;2\n;;\n  \n3;4\n\n")).toBe(3);
  });

  it("a line break inside a quoted cell does not end the record", () => {
    expect(count('nombre,nota\nAna,"dos\nlíneas"\nBeto,"con ""comillas""\ny más"\n')).toBe(3);
  });

  it("a quote inside an unquoted cell is just a character", () => {
    expect(count("a,b\nAna,5'2\" de alto\nBeto,x\n")).toBe(3);
  });

  it("Excel's sep= line is not a record; a BOM is not content", () => {
    expect(count("\uFEFFsep=;\nTel;Nombre\n0981;Ana\n")).toBe(2);
  });

  it("counts UTF-16 text like UTF-8", () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("a\tb\r\n1\t2\r\n", "utf16le"),
    ]);
    expect(count(utf16)).toBe(2);
  });
});
