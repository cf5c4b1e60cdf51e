import { describe, expect, it } from "vitest";
import { foreignKeyOrder } from "./catalog";

describe("foreignKeyOrder", () => {
  it("puts every table after the tables it references, independent ones by name", () => {
    const order = foreignKeyOrder(
      ["membership", "workspace", "user", "audit_log", "contact"],
      [
        { child: "membership", parent: "workspace" },
        { child: "membership", parent: "user" },
        { child: "audit_log", parent: "workspace" },
        { child: "audit_log", parent: "user" },
      ],
    );
    expect(order).toEqual(["contact", "user", "workspace", "audit_log", "membership"]);
  });

  it("ignores a table referencing itself (checked at the end of its COPY)", () => {
    expect(foreignKeyOrder(["campaign"], [{ child: "campaign", parent: "campaign" }])).toEqual([
      "campaign",
    ]);
  });

  it("refuses a cycle between tables, naming them", () => {
    expect(() =>
      foreignKeyOrder(
        ["a", "b", "c"],
        [
          { child: "a", parent: "b" },
          { child: "b", parent: "a" },
        ],
      ),
    ).toThrow(/cycle \(a, b\).*--format pgdump/);
  });
});
