import { expect, test, type Page } from "@playwright/test";

async function useFreshWorkspace(page: Page, label: string) {
  const name = `${label} ${Date.now().toString(36)}`;
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Cambiar de espacio de trabajo" }).click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

/** Two contacts through the importer, then the contacts list. */
async function seedContacts(page: Page) {
  await page.goto("/contacts/import");
  await page.getByLabel("Archivo CSV").setInputFiles({
    name: "equipo.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      "telefono,nombre,grupo\n0981123456,Ana Duarte,Clientes\n0982200002,Beto Ríos,VIP\n",
    ),
  });
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  await page.goto("/contacts");
  return page.getByRole("table", { name: "Lista de contactos" });
}

test("delete and opt-out offer Undo in their toast, and Undo really restores", async ({ page }) => {
  await useFreshWorkspace(page, "Deshacer");
  const list = await seedContacts(page);
  const ana = list.getByRole("row").filter({ hasText: "Ana Duarte" });
  await expect(ana).toContainText("Clientes");

  // Delete (after its confirmation), then Undo from the toast: Ana is back, group included.
  await ana.getByRole("button", { name: "Acciones para Ana Duarte" }).click();
  await page.getByRole("menuitem", { name: "Eliminar" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Eliminar" }).click();
  const deleted = page.locator("[data-sonner-toast]").filter({ hasText: "Contacto eliminado" });
  await expect(deleted).toBeVisible();
  await expect(ana).toHaveCount(0);
  await page.screenshot({ path: "test-results/contacts-undo-toast.png" });
  await deleted.getByRole("button", { name: "Deshacer" }).click();
  await expect(page.getByText("Contacto restaurado")).toBeVisible();
  await expect(ana).toContainText("Clientes");

  // Opt-out with a reason, then Undo: active again.
  const beto = list.getByRole("row").filter({ hasText: "Beto Ríos" });
  await beto.getByRole("button", { name: "Acciones para Beto Ríos" }).click();
  await page.getByRole("menuitem", { name: "Dar de baja" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Motivo").fill("Pidió la baja por teléfono");
  await dialog.getByRole("button", { name: "Dar de baja" }).click();
  const optedOut = page.locator("[data-sonner-toast]").filter({ hasText: "Contacto dado de baja" });
  await expect(optedOut).toBeVisible();
  await expect(beto).toContainText("Baja");
  await optedOut.getByRole("button", { name: "Deshacer" }).click();
  await expect(page.getByText("Baja deshecha")).toBeVisible();
  await expect(beto).not.toContainText("Baja");

  // Without Undo the opt-out stays; re-subscribing then asks for a reason.
  await beto.getByRole("button", { name: "Acciones para Beto Ríos" }).click();
  await page.getByRole("menuitem", { name: "Dar de baja" }).click();
  await dialog.getByLabel("Motivo").fill("Pidió la baja otra vez");
  await dialog.getByRole("button", { name: "Dar de baja" }).click();
  await expect(beto).toContainText("Baja");
  await beto.getByRole("button", { name: "Acciones para Beto Ríos" }).click();
  await page.getByRole("menuitem", { name: "Volver a dar de alta" }).click();
  await expect(dialog).toContainText("consentimiento nuevo");
  await dialog.getByRole("button", { name: "Dar de alta" }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Motivo").fill("Volvió a suscribirse por WhatsApp");
  await dialog.getByRole("button", { name: "Dar de alta" }).click();
  await expect(beto).not.toContainText("Baja");
});
