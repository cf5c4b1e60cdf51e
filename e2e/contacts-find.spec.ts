import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./helpers";

async function useFreshWorkspace(page: Page, label: string) {
  const name = `${label} ${Date.now().toString(36)}`;
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Cambiar de espacio de trabajo" }).click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

/** 120 "Feria" contacts and 5 others, through the importer. */
async function seedContacts(page: Page) {
  const rows = [
    ...Array.from({ length: 120 }, (_, i) => `0981${String(500000 + i)},Cliente Feria ${i}`),
    ...Array.from({ length: 5 }, (_, i) => `0982${String(600000 + i)},Otra Persona ${i}`),
  ];
  await page.goto("/contacts/import");
  await page.getByLabel("Archivo CSV").setInputFiles({
    name: "feria.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`telefono,nombre\n${rows.join("\n")}\n`),
  });
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
}

test("totals, any-word search and a bulk action on every contact that matches", async ({
  page,
}) => {
  await useFreshWorkspace(page, "Seleccionar todo");
  await seedContacts(page);
  await page.goto("/contacts");
  await expect(page.getByText("125 contactos")).toBeVisible();
  // Any word of the name, accents and case aside; the total is exact, with its pages.
  await page.getByRole("searchbox").fill("FERIA");
  await expect(page.getByText("120 contactos")).toBeVisible();
  await expect(page.getByText("Página 1 de 3")).toBeVisible();
  // A phone's last digits.
  await page.getByRole("searchbox").fill("600003");
  await expect(page.getByRole("table", { name: "Lista de contactos" })).toContainText(
    "Otra Persona 3",
  );
  await page.getByRole("searchbox").fill("feria");
  await expect(page.getByText("120 contactos")).toBeVisible();

  await page.getByLabel("Seleccionar todos los de esta página").check();
  await expect(
    page.getByText("Los 50 contactos de esta página están seleccionados."),
  ).toBeVisible();
  await page.getByRole("button", { name: "Seleccionar los 120 que coinciden" }).click();
  await expect(page.getByText("Seleccionados los 120 contactos que coinciden.")).toBeVisible();
  await page.screenshot({ path: "test-results/contacts-select-all-matching.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByText("Seleccionados los 120 contactos que coinciden.")).toBeVisible();
  await page.screenshot({ path: "test-results/contacts-select-all-matching-phone.png" });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("button", { name: "Agregar a grupo" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Grupo").fill("Feria VIP");
  await dialog.getByRole("button", { name: "Agregar a grupo" }).click();
  await expect(page.getByText("120 contactos añadidos al grupo")).toBeVisible({ timeout: 30_000 });

  // Every match is in the group now (all three pages), the others are not.
  await page.goto("/contacts/groups");
  await expect(page.getByRole("row").filter({ hasText: "Feria VIP" })).toContainText("120");
  await page.goto("/settings/audit");
  await expect(page.getByText("Contactos añadidos a un grupo").first()).toBeVisible();
});

test("a row opens the contact's page: fields, consent and its history", async ({ page }) => {
  await useFreshWorkspace(page, "Ficha");
  await seedContacts(page);
  await page.goto("/contacts?search=persona%202");
  await page.getByRole("link", { name: "Otra Persona 2" }).click();
  await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Otra Persona 2", level: 1 })).toBeVisible();
  await expect(page.getByText("Creado por la importación de «feria.csv»")).toBeVisible();
  await expect(page.getByText("Suscrito: se le puede escribir.")).toBeVisible();

  await page.getByRole("button", { name: "Dar de baja" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Motivo").fill("Respondió BAJA");
  await dialog.getByRole("button", { name: "Dar de baja" }).click();
  await expect(page.getByText(/Dado de baja el/)).toBeVisible();
  const history = page.getByRole("list", { name: "Historial" });
  await expect(history).toContainText("Contacto dado de baja");
  await expect(history).toContainText("Respondió BAJA");
  await page.screenshot({ path: "test-results/contact-detail.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(history).toContainText("Respondió BAJA");
  await page.screenshot({ path: "test-results/contact-detail-phone.png", fullPage: true });
});

test.describe("as a viewer", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the contact page is read-only", async ({ page }) => {
    await signIn(page, USERS.viewer);
    await page.goto("/contacts");
    const first = page.getByRole("table", { name: "Lista de contactos" }).getByRole("link").first();
    await first.click();
    await expect(page).toHaveURL(/\/contacts\/[0-9a-f-]{36}$/);
    await expect(
      page.getByText("Tu rol te permite ver este contacto, pero no modificarlo."),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: "Historial" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Editar" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Dar de baja" })).toHaveCount(0);
  });
});
