import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./helpers";

// Names are unique per run: the suite may run again against the same database.
const suffix = () => Date.now().toString(36);

async function openNewBotDialog(page: Page) {
  if (!page.url().endsWith("/bots")) await page.goto("/bots");
  await expect(page.getByRole("heading", { level: 1, name: "Bots" })).toBeVisible();
  await page.getByRole("button", { name: "Nuevo bot" }).click();
  return page.getByRole("dialog", { name: "Nuevo bot" });
}

test("creates a paced sandbox bot, refuses a taken name in place, pauses and resumes it", async ({
  page,
}) => {
  const name = `Sandbox pausado ${suffix()}`;
  let dialog = await openNewBotDialog(page);
  await dialog.getByLabel("Nombre").fill(name);
  await expect(dialog.getByRole("radio", { name: /Sandbox/ })).toBeChecked();
  await dialog.getByLabel("Latencia (ms)").fill("0");
  await dialog.getByLabel("Por segundo").fill("2");
  await dialog.getByLabel("Espera mínima (s)").fill("3");
  await dialog.getByLabel("Espera máxima (s)").fill("1");
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  // Client-side check first: the maximum delay may not be below the minimum.
  await expect(dialog.getByText("No puede ser menor que la mínima")).toBeVisible();
  await dialog.getByLabel("Espera máxima (s)").fill("");
  await dialog.getByLabel("Espera mínima (s)").fill("");
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("En línea");
  await expect(row).toContainText("2/s");
  await expect(row).toContainText("0 enviados · 0 fallidos");

  // The server's name check lands beside the field, not in a toast only.
  dialog = await openNewBotDialog(page);
  await dialog.getByLabel("Nombre").fill(name);
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(dialog.getByText("Ya existe un bot con este nombre")).toBeVisible();
  await expect(dialog.getByLabel("Nombre")).toHaveAttribute("aria-invalid", "true");
  await page.keyboard.press("Escape");

  await row.getByRole("button", { name: `Acciones para ${name}` }).click();
  await page.getByRole("menuitem", { name: "Pausar" }).click();
  await expect(row).toContainText("Pausado");
  await expect(row).toContainText("Pausado por alguien del equipo");
  await row.getByRole("button", { name: `Acciones para ${name}` }).click();
  await page.getByRole("menuitem", { name: "Reanudar" }).click();
  await expect(row).toContainText("En línea");
});

test("a webhook bot's signing secret is shown once, rotates, and the bot deletes after confirmation", async ({
  page,
}) => {
  const name = `Webhook ${suffix()}`;
  const dialog = await openNewBotDialog(page);
  await dialog.getByLabel("Nombre").fill(name);
  await dialog.getByRole("radio", { name: /Webhook/ }).check();
  await dialog.getByRole("textbox", { name: "URL" }).fill("ftp://nope");
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(dialog.getByText("Ingresá una URL http:// o https://")).toBeVisible();
  await dialog.getByRole("textbox", { name: "URL" }).fill("http://127.0.0.1:9/hook");
  await dialog.getByRole("button", { name: "Crear bot" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Secreto de firma" });
  const secretField = secretDialog.getByLabel(`Secreto de firma de ${name}`);
  await expect(secretField).toHaveValue(/^whsec_[A-Za-z0-9+/]+=*$/);
  const first = await secretField.inputValue();
  await expect(secretDialog.getByRole("button", { name: "Copiar" })).toBeVisible();
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();
  await expect(secretDialog).toBeHidden();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Webhook");
  await row.getByRole("button", { name: `Acciones para ${name}` }).click();
  await page.getByRole("menuitem", { name: "Rotar el secreto de firma" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotar secreto" }).click();
  await expect(secretField).toHaveValue(/^whsec_/);
  expect(await secretField.inputValue()).not.toBe(first);
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();

  await row.getByRole("button", { name: `Acciones para ${name}` }).click();
  await page.getByRole("menuitem", { name: "Eliminar" }).click();
  await expect(page.getByRole("alertdialog", { name: `¿Eliminar ${name}?` })).toBeVisible();
  await page.getByRole("alertdialog").getByRole("button", { name: "Eliminar bot" }).click();
  await expect(page.getByText("Bot eliminado")).toBeVisible();
  await expect(row).toHaveCount(0);
});

test("a viewer sees bots and campaigns without any write action", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, USERS.viewer);
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/bots");
  await expect(page.getByRole("note")).toHaveText(
    "Tu rol permite ver los bots, pero no modificarlos.",
  );
  await expect(page.getByRole("button", { name: "Nuevo bot" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Acciones para/ })).toHaveCount(0);

  await page.goto("/campaigns");
  await expect(page.getByRole("link", { name: "Nueva campaña" })).toHaveCount(0);
  const response = await page.goto("/campaigns/new");
  expect(response?.status()).toBe(403);
  await context.close();
});

test("an operator runs bots but leaves their secrets to admins", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, USERS.operator);
  await expect(page).toHaveURL(/\/dashboard$/);

  // A webhook bot's signing secret is shown to whoever creates it, once; rotating it later is
  // an admin's (the same menu offers it to admins: the test above).
  const hook = `Webhook operador ${suffix()}`;
  let dialog = await openNewBotDialog(page);
  await dialog.getByLabel("Nombre").fill(hook);
  await dialog.getByRole("radio", { name: /Webhook/ }).check();
  await dialog.getByRole("textbox", { name: "URL" }).fill("http://127.0.0.1:9/hook");
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Secreto de firma" });
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();
  const hookRow = page.getByRole("row", { name: new RegExp(hook) });
  await hookRow.getByRole("button", { name: `Acciones para ${hook}` }).click();
  await expect(page.getByRole("menuitem", { name: "Pausar" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Rotar el secreto de firma" })).toHaveCount(0);
  await page.keyboard.press("Escape");

  // A WhatsApp bot: editing it, the stored credentials cannot be replaced; the rest can.
  const name = `WhatsApp operador ${suffix()}`;
  dialog = await openNewBotDialog(page);
  await dialog.getByLabel("Nombre").fill(name);
  await dialog.getByRole("radio", { name: /WhatsApp Cloud API/ }).check();
  await dialog.getByLabel("ID del número de teléfono").fill("123456789012");
  await dialog.getByLabel("Token de acceso").fill("EAAG-token-del-operador");
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await row.getByRole("button", { name: `Acciones para ${name}` }).click();
  await page.getByRole("menuitem", { name: "Editar" }).click();
  dialog = page.getByRole("dialog", { name: "Editar bot" });
  await expect(dialog.getByLabel("Token de acceso")).toHaveAttribute("readonly", "");
  await expect(dialog.getByLabel("Token de acceso")).toHaveAccessibleDescription(
    /Solo los administradores pueden reemplazar las credenciales guardadas/,
  );
  await expect(dialog.getByRole("button", { name: /^Generar/ }).first()).toBeDisabled();
  await dialog.getByLabel("Nombre").fill(`${name} bis`);
  await dialog.getByRole("button", { name: "Guardar" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row", { name: new RegExp(`${name} bis`) })).toBeVisible();
  await context.close();
});
