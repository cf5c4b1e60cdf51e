import { describe, expect, it } from "vitest";
import { renderTemplate } from "./payload-template";

describe("payload templates", () => {
  it("fills {{slot}} and {{schedule}} in strings at any depth, leaving the rest alone", () => {
    const vars = { slot: "2026-07-01T10:00:00.000Z", schedule: "Hourly" };
    expect(
      renderTemplate(
        {
          at: "{{slot}}",
          note: "{{ schedule }} @ {{slot}}",
          n: 3,
          list: ["{{slot}}", true],
          deep: { x: "{{other}}" },
        },
        vars,
      ),
    ).toEqual({
      at: "2026-07-01T10:00:00.000Z",
      note: "Hourly @ 2026-07-01T10:00:00.000Z",
      n: 3,
      list: ["2026-07-01T10:00:00.000Z", true],
      deep: { x: "{{other}}" },
    });
  });
});
