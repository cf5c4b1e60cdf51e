import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";

/** Each test in a workspace of its own, so its counts and change lists are exact. */
async function useFreshWorkspace(page: Page, label: string) {
  const name = `${label} ${Date.now().toString(36)}`;
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Cambiar de espacio de trabajo" }).click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

const stat = (page: Page, label: string) =>
  page
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator("xpath=following-sibling::dd[1]");

async function uploadCsv(page: Page, name: string, text: string) {
  await page.goto("/contacts/import");
  await page.getByLabel("Archivo CSV").setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: Buffer.from(text),
  });
  await expect(page.getByRole("heading", { name: "Revisá las columnas" })).toBeVisible();
}

const FIRST =
  "telefono;nombre;sustantivo\n0981 123 456;María Núñez;\n0982 200 002;José Benítez;Sr.\n";
const SECOND =
  "telefono;nombre;sustantivo\n0981 123 456;María N. Núñez;Sra.\n0982 200 002;José B.;Dr.\n0971 300 003;Carla;\n";

test("a dry run in 'only empty fields' mode lists its changes, then Import for real runs the same file", async ({
  page,
}) => {
  await useFreshWorkspace(page, "Modo");
  await uploadCsv(page, "primera.csv", FIRST);
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(stat(page, "Insertados")).toHaveText("2");

  // The same people again: only empty fields may change, as a dry run first.
  await uploadCsv(page, "segunda.csv", SECOND);
  await page.getByRole("radio", { name: "Actualizar solo campos vacíos" }).check();
  await page.getByRole("checkbox", { name: "Simulación (no guarda nada)" }).check();
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  const dryUrl = page.url();
  await expect(page.getByRole("note")).toContainText("Simulación: no se guardó nada");
  await expect(page.getByText("Actualizar solo campos vacíos")).toBeVisible();
  await expect(stat(page, "Insertados")).toHaveText("1");
  await expect(stat(page, "Actualizados")).toHaveText("1");
  // María's salutation was empty: that is the only change; no name is overwritten.
  const changes = page.getByRole("table").filter({ hasText: "Antes" });
  await expect(
    page.getByRole("heading", { name: "Qué cambiaría en contactos existentes" }),
  ).toBeVisible();
  await expect(changes.getByRole("row")).toHaveCount(2);
  await expect(changes.getByRole("row").nth(1)).toContainText("+595 981 123456");
  await expect(changes.getByRole("row").nth(1)).toContainText("Tratamiento");
  await expect(changes.getByRole("row").nth(1)).toContainText("Sra.");
  await expect(changes).not.toContainText("María N. Núñez");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Descargar todos los cambios (CSV)" }).click();
  const csv = await readFile(await (await downloading).path(), "utf8");
  expect(
    csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/),
  ).toEqual([
    "numero,campo,antes,despues",
    expect.stringMatching(/^'?\+595981123456,sustantivo,,Sra\.$/),
  ]);
  await page.screenshot({ path: "test-results/import-dry-run-changes.png", fullPage: true });

  // Import for real: no second upload, the same mapping and mode.
  await page.getByRole("button", { name: "Importar de verdad" }).click();
  await expect(page).not.toHaveURL(dryUrl);
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText("Simulación: no se guardó nada")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Ver la simulación" })).toBeVisible();
  await expect(stat(page, "Insertados")).toHaveText("1");
  await expect(stat(page, "Actualizados")).toHaveText("1");
  await expect(
    page.getByRole("heading", { name: "Qué cambió en contactos existentes" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Importar de verdad" })).toHaveCount(0);

  // What was saved: the hand-typed names kept, María's salutation filled in.
  const res = await page.request.get("/api/contacts/export");
  const lines = (await res.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(lines).toHaveLength(4);
  expect(lines.find((l) => l.includes("981123456"))).toContain("María Núñez,Sra.");
  expect(lines.find((l) => l.includes("982200002"))).toContain("José Benítez,Sr.");

  // The dry run now points at its real run and no longer offers to run again.
  await page.getByRole("link", { name: "Ver la simulación" }).click();
  await expect(page.getByRole("link", { name: "Ver la importación real" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Importar de verdad" })).toHaveCount(0);
});

test("the preview: header-only files cannot start, encoding can be changed, a sample CSV to start from", async ({
  page,
}) => {
  await useFreshWorkspace(page, "Vista previa");
  await page.goto("/contacts/import");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Descargar un CSV de ejemplo" }).click();
  const sample = await downloading;
  expect(sample.suggestedFilename()).toBe("contactos-ejemplo.csv");
  const sampleText = (await readFile(await sample.path(), "utf8")).replace(/^\uFEFF/, "");
  expect(sampleText.split(/\r?\n/)[0]).toBe("telefono,nombre,sustantivo,grupo,ciudad");

  // Only a header row: Import is disabled and says why.
  await uploadCsv(page, "solo-encabezado.csv", "telefono,nombre\n");
  const start = page.getByRole("button", { name: "Importar", exact: true });
  await expect(start).toBeDisabled();
  await expect(
    page.getByText("No se puede importar: el archivo solo tiene la fila de encabezado"),
  ).toBeVisible();

  // A UTF-8 file read as Windows-1252 shows what that would do; back to UTF-8 reads it right.
  await uploadCsv(page, "acentos.csv", "telefono,nombre\n0981123456,María Núñez\n");
  await expect(page.getByRole("cell", { name: "María Núñez" })).toBeVisible();
  await page.getByRole("combobox", { name: "Codificación del archivo" }).click();
  await page.getByRole("option", { name: "Windows-1252 (Excel en español)" }).click();
  await expect(page.getByRole("cell", { name: "MarÃ­a NÃºÃ±ez" })).toBeVisible();
  await page.getByRole("combobox", { name: "Codificación del archivo" }).click();
  await page.getByRole("option", { name: "UTF-8" }).click();
  await expect(page.getByRole("cell", { name: "María Núñez" })).toBeVisible();
  await expect(start).toBeEnabled();

  // Discarded: it does not stay in the history.
  await page.getByRole("button", { name: "Descartar y elegir otro archivo" }).click();
  await expect(page).toHaveURL(/\/contacts\/import$/);
  await expect(page.getByRole("table", { name: "Importaciones recientes" })).toContainText(
    "Todavía no se importó ningún archivo.",
  );
});
