import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn, USERS } from "./helpers";

// Names are unique per run: the suite may run again against the same database.
const suffix = () => Date.now().toString(36);

/** Creates a bot through the form, from the Bots page. */
async function createBot(page: Page, name: string, fill: (dialog: Locator) => Promise<void>) {
  await page.goto("/bots");
  await page.getByRole("button", { name: "Nuevo bot" }).click();
  const dialog = page.getByRole("dialog", { name: "Nuevo bot" });
  await dialog.getByLabel("Nombre").fill(name);
  await fill(dialog);
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(dialog).toBeHidden();
}

test("a bot's page: facts, last week, pause and resume, an agent secret rotated with an overlap and shown once", async ({
  page,
}) => {
  const name = `Agente detalle ${suffix()}`;
  await createBot(page, name, (dialog) => dialog.getByRole("radio", { name: /Agente/ }).check());
  const secretDialog = page.getByRole("dialog", { name: "Secreto de firma" });
  const secretField = secretDialog.getByLabel(`Secreto de firma de ${name}`);
  const first = await secretField.inputValue();
  expect(first).toMatch(/^whsec_/);
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();

  // Each row's name opens the bot's page.
  await page
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("link", { name })
    .click();
  await expect(page).toHaveURL(/\/bots\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("El agente nunca se conectó")).toBeVisible();
  await expect(page.getByRole("table", { name: "Últimos 7 días" }).getByRole("row")).toHaveCount(8);
  await expect(page.getByRole("heading", { name: "Sin tareas" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sin registros" })).toBeVisible();

  await page.getByRole("button", { name: "Pausar" }).click();
  await expect(page.getByText("Pausado por alguien del equipo")).toBeVisible();
  await page.getByRole("button", { name: "Reanudar" }).click();
  await expect(page.getByRole("button", { name: "Pausar" })).toBeVisible();
  await expect(page.getByText("Pausado por alguien del equipo")).toHaveCount(0);

  await page.getByRole("button", { name: "Rotar el secreto de firma" }).click();
  const rotate = page.getByRole("dialog", { name: `¿Rotar el secreto de ${name}?` });
  await rotate
    .getByLabel("El secreto actual sigue funcionando")
    .selectOption({ label: "Durante 24 horas" });
  await rotate.getByRole("button", { name: "Rotar secreto" }).click();
  await expect(secretField).toHaveValue(/^whsec_/);
  const second = await secretField.inputValue();
  expect(second).not.toBe(first);
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();
  await expect(secretDialog).toBeHidden();
  // Shown once: nothing on the page carries it any more, not even after a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  expect(await page.content()).not.toContain(second);

  // "See tasks" opens the Tasks page filtered by this bot.
  await page.getByRole("link", { name: "Ver tareas" }).click();
  await expect(page).toHaveURL(/\/tasks\?bot=[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Bot", { exact: true })).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.getByLabel("Bot", { exact: true }).locator("option:checked")).toHaveText(name);
});

test("a WhatsApp bot's app secret is stored as “set”, never shown, with the callback URL to copy", async ({
  page,
}) => {
  const name = `WhatsApp detalle ${suffix()}`;
  const appSecret = `${suffix()}0123456789abcdef`;
  await createBot(page, name, async (dialog) => {
    await dialog.getByRole("radio", { name: /^WhatsApp Cloud API/ }).check();
    await dialog.getByLabel("ID del número de teléfono").fill(`1${Date.now()}`);
    await dialog.getByLabel("Token de acceso").fill("EAAG-e2e-token");
    await expect(dialog.getByLabel("URL de devolución de llamada", { exact: true })).toHaveValue(
      /\/api\/webhooks\/whatsapp$/,
    );
    await expect(dialog.getByText("Sin configurar")).toHaveCount(2);
  });
  await page
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("link", { name })
    .click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await expect(page.getByText(/^Sin configurar: editá el bot/)).toBeVisible();
  await page.getByRole("button", { name: "Editar" }).click();
  let dialog = page.getByRole("dialog", { name: "Editar bot" });
  await dialog.getByLabel("Secreto de la app", { exact: true }).fill("short");
  await dialog.getByRole("button", { name: "Guardar" }).click();
  await expect(dialog.getByText(/16 a 256 caracteres/)).toBeVisible();
  await dialog.getByLabel("Secreto de la app", { exact: true }).fill(appSecret);
  await dialog.getByRole("button", { name: "Generar Token de verificación" }).click();
  await expect(dialog.getByLabel("Token de verificación", { exact: true })).toHaveValue(
    /^[A-Za-z0-9_-]{32}$/,
  );
  await dialog.getByRole("button", { name: "Guardar" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/^Configurados: llegan confirmaciones/)).toBeVisible();

  await page.getByRole("button", { name: "Editar" }).click();
  dialog = page.getByRole("dialog", { name: "Editar bot" });
  await expect(dialog.getByText("Guardado", { exact: true })).toHaveCount(2);
  await expect(dialog.getByLabel("Secreto de la app", { exact: true })).toHaveValue("");
  expect(await page.content()).not.toContain(appSecret);
  await page.keyboard.press("Escape");
});

test.describe("on a phone, dark", () => {
  test.use({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });

  test("a bot's page fits the screen and has no serious accessibility issue", async ({ page }) => {
    await page.goto("/bots");
    await page.getByRole("table", { name: "Lista de bots" }).getByRole("link").first().click();
    await expect(page).toHaveURL(/\/bots\/[0-9a-f-]{36}$/);
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await expect(page.locator('[aria-busy="true"], [data-slot="skeleton"]')).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Últimos 7 días" })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const { violations } = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(
      violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
    ).toEqual([]);
  });
});

test("a viewer reads a bot's page without actions; an unknown bot is not found", async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/bots");
  await page.getByRole("table", { name: "Lista de bots" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/bots\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("note")).toHaveText(
    "Tu rol permite ver los bots, pero no modificarlos.",
  );
  await expect(page.getByRole("heading", { name: "Últimos 7 días" })).toBeVisible();
  for (const action of ["Editar", "Pausar", "Reanudar", "Rotar el secreto de firma"]) {
    await expect(page.getByRole("button", { name: action })).toHaveCount(0);
  }
  const response = await page.goto("/bots/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await context.close();
});
