import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// Names are unique per run: the suite may run again against the same database.
const suffix = () => Date.now().toString(36);

async function setLocale(page: Page, locale: "es" | "en") {
  // At the site's root: a cookie set from /tasks/schedules would only cover /tasks/….
  const url = new URL("/", page.url()).toString();
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url }]);
}

test("a schedule reads its cron aloud and lists its next runs in Spanish and English, then is disabled", async ({
  page,
}) => {
  const name = `Promo semanal ${suffix()}`;
  await page.goto("/tasks");
  await setLocale(page, "es");
  await page.reload();
  await page.getByRole("link", { name: "Programaciones" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Programaciones" })).toBeVisible();

  await page.getByRole("button", { name: "Nueva programación" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Nueva programación" });
  await dialog.getByLabel("Nombre").fill(name);
  const cron = dialog.getByLabel("Expresión cron");
  // Live while typing: an incomplete expression says why, in Spanish.
  await cron.fill("0 9 *");
  await expect(dialog.getByRole("alert")).toHaveText(/Escribe cinco campos/);
  await cron.fill("0 9 * * 1");
  await dialog.getByLabel("Zona horaria").fill("America/Asuncion");
  await expect(dialog.getByTestId("cron-description")).toHaveText("A las 09:00, sólo el lunes");
  await expect(dialog.getByTestId("cron-next-runs").getByRole("listitem")).toHaveCount(5);
  await dialog.getByRole("radio", { name: "Lanzar una campaña guardada" }).check();
  await expect(dialog.getByLabel("Campaña", { exact: true })).toBeVisible();
  await dialog.getByRole("button", { name: "Crear programación" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("A las 09:00, sólo el lunes");
  await expect(row).toContainText("America/Asuncion");
  await expect(row.getByRole("listitem")).toHaveCount(5);
  await expect(row).toContainText("Nunca");

  await setLocale(page, "en");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Schedules" })).toBeVisible();
  const rowEn = page.getByRole("row", { name: new RegExp(name) });
  await expect(rowEn).toContainText("At 09:00, only on Monday");
  await expect(rowEn).toContainText("Never");
  await expect(rowEn.getByRole("listitem")).toHaveCount(5);

  const toggle = rowEn.getByRole("switch", { name: `Enabled: ${name}` });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(rowEn).toContainText("None while disabled");
  await expect(rowEn.getByRole("listitem")).toHaveCount(0);

  // The same page on a phone: the list scrolls inside its card, the dialog fits the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("button", { name: "Edit" }).first().click();
  const edit = page.getByRole("dialog", { name: "Edit schedule" });
  await expect(edit.getByLabel("Cron expression")).toBeVisible();
  await edit.getByRole("button", { name: "Cancel" }).click();
  await expect(edit).toBeHidden();
});

test("the schedules page passes axe in light and dark, on a laptop and on a phone", async ({
  page,
}) => {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize(viewport);
      await page.goto("/tasks/schedules");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      // Nothing wider than the screen: the table scrolls inside its card.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `${colorScheme} ${viewport.width}px`).toBeLessThanOrEqual(0);
      const { violations } = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const serious = violations.filter((v) => ["serious", "critical"].includes(v.impact ?? ""));
      expect(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
        `${colorScheme} ${viewport.width}px`,
      ).toEqual([]);
    }
  }
});
