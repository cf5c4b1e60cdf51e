import { describe, expect, it } from "vitest";
import {
  columnFromTarget,
  findProblems,
  foldKey,
  targetFromColumn,
  type Column,
} from "./import-mapping-rules";

const t = (key: string, values?: Record<string, string | number>) =>
  `${key}${values ? JSON.stringify(values) : ""}`;
const title = (i: number) => `Columna ${i + 1}`;

describe("import mapping rules", () => {
  it("folds a header into an attribute key the server accepts", () => {
    expect(foldKey("Teléfono móvil", 0)).toBe("telefono_movil");
    expect(foldKey("¿¿??", 4)).toBe("col_5");
  });

  it("round-trips targets through the form's columns", () => {
    for (const target of [
      { kind: "field", field: "phone" },
      { kind: "attribute", key: "ciudad" },
      { kind: "ignore" },
    ] as const) {
      expect(targetFromColumn(columnFromTarget(target))).toEqual(target);
    }
  });

  it("requires exactly one phone column and unique, valid attribute keys", () => {
    const cols = (...c: Column[]) => c;
    expect(
      findProblems(cols({ choice: "nombre", key: "" }), title, t).map((p) => p.message),
    ).toEqual(["noPhone"]);
    const many = findProblems(
      cols({ choice: "phone", key: "" }, { choice: "phone", key: "" }),
      title,
      t,
    );
    expect(many).toEqual([{ message: 'manyPhones{"count":2}', columns: [0, 1] }]);
    const keys = findProblems(
      cols(
        { choice: "phone", key: "" },
        { choice: "attribute", key: "Ciudad!" },
        { choice: "attribute", key: "x" },
        { choice: "attribute", key: "x" },
      ),
      title,
      t,
    );
    expect(keys.map((p) => p.columns)).toEqual([[1], [2, 3]]);
    expect(
      findProblems(
        cols({ choice: "phone", key: "" }, { choice: "attribute", key: "ciudad" }),
        title,
        t,
      ),
    ).toEqual([]);
  });
});
