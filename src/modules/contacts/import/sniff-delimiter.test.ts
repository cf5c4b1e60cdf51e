import { describe, expect, it } from "vitest";
import { sniffDelimiter } from "./sniff-delimiter";

describe("sniffDelimiter", () => {
  it("picks a comma", () => {
    expect(sniffDelimiter("phone,name,group\n0981123456,Ana,vip\n0982123456,Luis,norte\n")).toBe(
      ",",
    );
  });

  it("picks a semicolon", () => {
    expect(
      sniffDelimiter("numero;nombre;grupo\r\n0981123456;Ana;vip\r\n0982123456;Luis;norte\r\n"),
    ).toBe(";");
  });

  it("picks a tab", () => {
    expect(sniffDelimiter("phone\tname\n0981123456\tAna\n0982123456\tLuis\n")).toBe("\t");
  });

  it("prefers a tab when every row also has a comma inside a cell", () => {
    expect(sniffDelimiter("0981123456\tPérez, Ana\n0982123456\tGómez, Luis\n")).toBe("\t");
  });

  it("ignores delimiters and line breaks inside quoted fields", () => {
    const sample = [
      "phone,name,notes",
      '0981123456,"Pérez; Ana","calle 1; piso 2\nsegunda línea; más"',
      '0982123456,Luis,"a;b;c"',
      "0983123456,Eva,x",
    ].join("\n");
    expect(sniffDelimiter(sample)).toBe(",");

    const semicolons = [
      "numero;nombre;nota",
      '0981;"Pérez, Ana";"1,2,3,4\n5,6"',
      "0982;Luis;x",
    ].join("\r\n");
    expect(sniffDelimiter(semicolons)).toBe(";");
  });

  it("takes `;` in a Spanish file whose commas are decimals", () => {
    expect(sniffDelimiter("0981123456;1,5\n0982123456;2,75\n0983123456;10,0\n")).toBe(";");
    expect(sniffDelimiter("numero;importe;saldo\n0981;1,5;2,5\n0982;3,5;4,5\n")).toBe(";");
  });

  it("keeps `,` when a comma file has `;` inside a groups column", () => {
    const sample =
      "phone,name,groups\n0981123456,Ana,vip;norte\n0982123456,Luis,sur\n0983123456,Eva,a;b;c\n";
    expect(sniffDelimiter(sample)).toBe(",");
  });

  it("returns `,` for a single-column file", () => {
    expect(sniffDelimiter("phone\n0981123456\n0982123456\n")).toBe(",");
    expect(sniffDelimiter("")).toBe(",");
  });

  it("follows Excel's `sep=` line", () => {
    expect(sniffDelimiter("sep=;\r\na,b;c\r\n")).toBe(";");
  });

  it("ignores a last line cut inside a quoted field", () => {
    const sample = 'a;b\n1;2\n3;"x,y,z,\nw,v,u,t';
    expect(sniffDelimiter(sample)).toBe(";");
  });
});
