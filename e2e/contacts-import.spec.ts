import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";

const FIXTURES = path.join(__dirname, "fixtures");

/**
 * Contacts are per workspace: each import test works in a workspace of its own, so its
 * counts are exact however many times the suite runs against the same database.
 */
async function useFreshWorkspace(page: Page, label: string) {
  const name = `${label} ${Date.now().toString(36)}`;
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Cambiar de espacio de trabajo" }).click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

/** A counter of the import ("Insertados", "Duplicados"…): the value (dd) after its label (dt). */
const stat = (page: Page, label: string) =>
  page
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator("xpath=following-sibling::dd[1]");

const columnTarget = (page: Page, column: string) =>
  page.getByRole("combobox", { name: `Destino de la columna ${column}`, exact: true });

async function chooseTarget(page: Page, column: string, target: string) {
  await columnTarget(page, column).click();
  await page.getByRole("option", { name: target, exact: true }).click();
}

/** Drops a file on the drop zone the way a browser does (DataTransfer with a File). */
async function dropFile(zone: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  const dataTransfer = await zone.page().evaluateHandle(
    ({ name, mimeType, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: mimeType }));
      return dt;
    },
    { name: file.name, mimeType: file.mimeType, base64: file.buffer.toString("base64") },
  );
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

/** The workspace's contacts as the export endpoint writes them (BOM stripped, one line each). */
async function exportedContacts(page: Page): Promise<string[]> {
  const res = await page.request.get("/api/contacts/export");
  expect(res.status()).toBe(200);
  return (await res.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
}

test("imports a ;-delimited CSV with Spanish headers: preview, result, rejected rows, saved contacts", async ({
  page,
}) => {
  await useFreshWorkspace(page, "Importación");
  await page.goto("/contacts");
  await expect(page.getByRole("heading", { level: 1, name: "Contactos" })).toBeVisible();
  await page.getByRole("link", { name: "Importar CSV" }).first().click();
  await expect(page).toHaveURL(/\/contacts\/import$/);
  await expect(page.getByRole("heading", { level: 1, name: "Importar contactos" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Importaciones recientes" })).toContainText(
    "Todavía no se importó ningún archivo.",
  );

  // Step 1: the drop zone is a button: keyboard focus + Enter opens the file picker.
  const zone = page.getByRole("button", { name: /Arrastrá el archivo aquí/ });
  await zone.focus();
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Enter");
  await (await chooser).setFiles(path.join(FIXTURES, "contactos-clientes.csv"));

  // Step 2: what the server detected, as an editable preview.
  await expect(page).toHaveURL(/\/contacts\/import\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Revisá las columnas" })).toBeVisible();
  await expect(page.getByText("contactos-clientes.csv", { exact: false }).first()).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Codificación del archivo" })).toHaveText(
    "UTF-8",
  );
  await expect(page.getByRole("combobox", { name: "Separador de columnas" })).toHaveText(
    "punto y coma",
  );
  await expect(page.getByRole("checkbox", { name: "La primera fila es encabezado" })).toBeChecked();
  await expect(columnTarget(page, "Nombre")).toHaveText("Nombre");
  await expect(columnTarget(page, "Número")).toHaveText("Número (teléfono)");
  await expect(columnTarget(page, "Grupo")).toHaveText("Grupos");
  await expect(columnTarget(page, "Ciudad")).toHaveText("Atributo");
  await expect(
    page.getByRole("textbox", { name: "Clave del atributo de la columna Ciudad" }),
  ).toHaveValue("ciudad");
  await expect(page.getByRole("cell", { name: "Clientes|VIP" })).toBeVisible();
  await expect(
    page.getByRole("checkbox", { name: "Simulación (no guarda nada)" }),
  ).not.toBeChecked();
  await page.screenshot({ path: "test-results/import-mapping.png", fullPage: true });

  // Steps 3–4: run it; a file this small finishes in one batch.
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(stat(page, "Filas procesadas")).toHaveText("8");
  await expect(stat(page, "Insertados")).toHaveText("5");
  await expect(stat(page, "Actualizados")).toHaveText("0");
  await expect(stat(page, "Sin cambios")).toHaveText("0");
  await expect(stat(page, "Duplicados")).toHaveText("1");
  await expect(stat(page, "Inválidos")).toHaveText("2");
  await expect(page.getByText("Simulación: no se guardó nada")).toHaveCount(0);
  await page.screenshot({ path: "test-results/import-result.png", fullPage: true });

  // The rejected rows: file row number, reason and the original line.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Descargar filas rechazadas (CSV)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("contactos-clientes-rechazadas.csv");
  const rejected = (await readFile(await download.path(), "utf8"))
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(rejected).toHaveLength(3);
  // The file's own columns and delimiter, then the row number and the reason: fix and re-upload.
  expect(rejected[0]).toBe("Nombre;Número;Grupo;Ciudad;fila_rechazada;motivo_rechazo");
  expect(rejected[1]).toMatch(/^Carlos Ortiz;hola;Clientes;Asunción;5;\S/);
  expect(rejected[2]).toMatch(/^Lucía Fernández;12;VIP;San Lorenzo;6;\S/);

  // The history lists it with its counters and the same download.
  const history = page.getByRole("table", { name: "Importaciones recientes" });
  const row = history.getByRole("row").filter({ hasText: "contactos-clientes.csv" });
  await expect(row).toContainText("Completada");
  await expect(
    row.getByRole("link", { name: "Descargar filas rechazadas de contactos-clientes.csv" }),
  ).toBeVisible();

  // What was saved: five contacts in E.164, the duplicate merged into María's row.
  const contacts = await exportedContacts(page);
  expect(contacts[0]).toBe("numero,nombre,sustantivo,grupo,opted_out_at,ciudad");
  expect(contacts).toHaveLength(6);
  // A cell that is exactly an E.164 phone is exported as it is (no formula guard).
  const byPhone = (phone: string) => contacts.find((l) => l.startsWith(`${phone},`));
  expect(byPhone("+595981123456")).toMatch(
    /^\+595981123456,María Núñez,,(Clientes\|VIP|VIP\|Clientes),,Asunción$/,
  );
  for (const phone of ["+595982555111", "+595971222333", "+595985444777", "+595991888999"]) {
    expect(byPhone(phone)).toBeDefined();
  }

  // On the contacts page: find the imported contact, edit it and export the search result.
  await page.getByRole("link", { name: "Importar otro archivo" }).click();
  await expect(page).toHaveURL(/\/contacts\/import$/);
  await expect(page.getByRole("button", { name: /Arrastrá el archivo aquí/ })).toBeVisible();
  await page.goBack();
  await page.getByRole("link", { name: "Ver contactos" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contactos" })).toBeVisible();
  const list = page.getByRole("table", { name: "Lista de contactos" });
  await expect(list.getByRole("row")).toHaveCount(6);
  await page.getByLabel("Buscar por nombre o teléfono").fill("María");
  await expect(list.getByRole("row")).toHaveCount(2);
  const maria = list.getByRole("row").filter({ hasText: "María Núñez" });
  await expect(maria).toContainText("+595 981 123456");
  await expect(maria).toContainText("Clientes");
  await expect(maria).toContainText("VIP");

  await maria.getByRole("button", { name: "Acciones para María Núñez" }).click();
  await page.getByRole("menuitem", { name: "Editar" }).click();
  const dialog = page.getByRole("dialog", { name: "Editar contacto" });
  await dialog.getByLabel("Nombre", { exact: true }).fill("María José Núñez");
  await dialog.getByRole("button", { name: "Guardar" }).click();
  await expect(dialog).toBeHidden();
  await expect(list.getByRole("row").filter({ hasText: "María José Núñez" })).toBeVisible();

  const exporting = page.waitForEvent("download");
  await page.getByRole("link", { name: "Exportar" }).click();
  const exported = (await readFile(await (await exporting).path(), "utf8"))
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(exported).toHaveLength(2);
  expect(exported[1]).toMatch(/^\+595981123456,María José Núñez,/);
});
test("a Windows-1252 Excel file dropped on the page: detection, client checks and a dry run", async ({
  page,
}) => {
  await useFreshWorkspace(page, "Simulación");
  await page.goto("/contacts/import");
  await dropFile(page.getByRole("button", { name: /Arrastrá el archivo aquí/ }), {
    name: "contactos-excel-1252.csv",
    mimeType: "text/csv",
    buffer: await readFile(path.join(FIXTURES, "contactos-excel-1252.csv")),
  });

  await expect(page.getByRole("heading", { name: "Revisá las columnas" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Codificación del archivo" })).toHaveText(
    "Windows-1252 (Excel en español)",
  );
  await expect(page.getByRole("combobox", { name: "Separador de columnas" })).toHaveText(
    "punto y coma",
  );
  await expect(page.getByRole("cell", { name: "Íñigo Peña" })).toBeVisible();
  await expect(columnTarget(page, "Teléfono")).toHaveText("Número (teléfono)");
  await expect(columnTarget(page, "Tratamiento")).toHaveText("Tratamiento");
  await expect(columnTarget(page, "Grupos")).toHaveText("Grupos");
  const noteKey = page.getByRole("textbox", {
    name: "Clave del atributo de la columna Observación",
  });
  await expect(noteKey).toHaveValue("observacion");

  // Client-side checks: a phone column is required and attribute keys are a-z0-9_.
  await chooseTarget(page, "Teléfono", "Ignorar");
  const problems = page.getByRole("alert").filter({ hasText: "Corregí esto antes de importar" });
  await expect(problems).toContainText("Elegí qué columna tiene el número de teléfono.");
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(problems).toBeFocused();
  await expect(page.getByRole("heading", { name: "Revisá las columnas" })).toBeVisible();
  await chooseTarget(page, "Teléfono", "Número (teléfono)");
  await noteKey.fill("Nota Interna");
  await expect(problems).toContainText(
    "La clave «Nota Interna» de la columna Observación no es válida",
  );
  await noteKey.fill("nota");
  await expect(problems).toHaveCount(0);

  // Without a header row the first line becomes data and the columns are numbered.
  const header = page.getByRole("checkbox", { name: "La primera fila es encabezado" });
  await header.uncheck();
  await expect(columnTarget(page, "Columna 1")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Teléfono" })).toBeVisible();
  await header.check();
  await expect(columnTarget(page, "Teléfono")).toBeVisible();

  await page.getByRole("checkbox", { name: "Simulación (no guarda nada)" }).check();
  await page.getByRole("button", { name: "Importar", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Importación completada" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("note")).toContainText("Simulación: no se guardó nada");
  await expect(stat(page, "Insertados")).toHaveText("3");
  await expect(stat(page, "Inválidos")).toHaveText("0");
  await expect(page.getByRole("link", { name: "Descargar filas rechazadas (CSV)" })).toHaveCount(0);
  await expect(
    page
      .getByRole("table", { name: "Importaciones recientes" })
      .getByRole("row")
      .filter({ hasText: "contactos-excel-1252.csv" }),
  ).toContainText("Simulación");
  await page.screenshot({ path: "test-results/import-dry-run.png", fullPage: true });

  expect(await exportedContacts(page)).toHaveLength(1);
});

test("upload errors are explained: empty file (400) and a spreadsheet that is not CSV (415)", async ({
  page,
}) => {
  await page.goto("/contacts/import");
  await page.getByLabel("Archivo CSV").setInputFiles({
    name: "vacio.csv",
    mimeType: "text/csv",
    buffer: Buffer.alloc(0),
  });
  const emptyError = page.getByRole("alert").filter({ hasText: "vacio.csv" });
  await expect(emptyError).toContainText("No se puede importar este archivo — vacio.csv");
  // The server's refusal is a code, written in the reader's language.
  await expect(emptyError).toContainText("El archivo está vacío: no hay nada que importar");

  await dropFile(page.getByRole("button", { name: /Arrastrá el archivo aquí/ }), {
    name: "clientes.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]),
  });
  const typeError = page.getByRole("alert").filter({ hasText: "clientes.xlsx" });
  await expect(typeError).toContainText("No es un archivo CSV — clientes.xlsx");
  await expect(typeError).toContainText(
    "No es un archivo CSV: parece un archivo .xlsx/.zip; expórtalo primero como CSV",
  );
  await expect(emptyError).toHaveCount(0);
  await expect(page).toHaveURL(/\/contacts\/import$/);
  await page.screenshot({ path: "test-results/import-upload-error.png", fullPage: true });
});

/** `rows` valid Paraguayan mobiles, one per line, comma-separated with a header. */
function bigCsv(rows: number): Buffer {
  const lines = ["Número,Nombre"];
  for (let i = 0; i < rows; i++) lines.push(`0981${String(i).padStart(6, "0")},Cliente ${i}`);
  return Buffer.from(lines.join("\n") + "\n");
}

test("a slow upload shows its progress and can be canceled", async ({ page }) => {
  await page.goto("/contacts/import");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
  await page.getByLabel("Archivo CSV").setInputFiles({
    name: "lento.csv",
    mimeType: "text/csv",
    buffer: bigCsv(200_000),
  });
  const bar = page.getByRole("progressbar", { name: "Progreso de la subida" });
  await expect(bar).toBeVisible();
  await expect(page.getByText("lento.csv")).toBeVisible();
  await expect(bar).not.toHaveAttribute("aria-valuenow", "0");
  await page.getByRole("button", { name: "Cancelar subida" }).click();
  await expect(page.getByRole("status")).toHaveText("Subida cancelada. Podés elegir otro archivo.");
  await expect(page.getByRole("button", { name: /Arrastrá el archivo aquí/ })).toBeFocused();
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
});

test("a long import streams live progress and can be canceled mid-batch", async ({ page }) => {
  // A batch is 25,000 rows: on a busy two-core CI machine one takes up to a minute; the
  // cancel stops the batch in flight within a second or two (it rolls back whole).
  test.setTimeout(240_000);
  await useFreshWorkspace(page, "Carga grande");
  await page.goto("/contacts/import");
  await page.getByLabel("Archivo CSV").setInputFiles({
    name: "carga-grande.csv",
    mimeType: "text/csv",
    buffer: bigCsv(600_000),
  });
  await expect(page.getByRole("heading", { name: "Revisá las columnas" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("combobox", { name: "Separador de columnas" })).toHaveText("coma");
  await page.getByRole("button", { name: "Importar", exact: true }).click();

  await expect(page.getByRole("heading", { name: "Importando carga-grande.csv" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Progreso de la importación" })).toBeVisible();
  // The first committed batch arrives over the subscription while the rest is still running.
  await expect(stat(page, "Filas procesadas")).not.toHaveText("0", { timeout: 90_000 });
  await expect(stat(page, "Insertados")).not.toHaveText("0");
  await page.screenshot({ path: "test-results/import-progress.png", fullPage: true });

  await page.getByRole("button", { name: "Cancelar", exact: true }).click();
  const dialog = page.getByRole("alertdialog", { name: "¿Cancelar la importación?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancelar importación" }).click();

  await expect(page.getByRole("heading", { name: "Importación cancelada" })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByText(/Se detuvo tras [\d.]+ filas/)).toBeVisible();
  const processed = Number((await stat(page, "Filas procesadas").innerText()).replace(/\D/g, ""));
  expect(processed).toBeGreaterThan(0);
  expect(processed).toBeLessThan(600_000);
  await expect(stat(page, "Insertados")).toHaveText(new Intl.NumberFormat("es").format(processed));
  // Whole batches only: what the counters say is exactly what was saved.
  expect((await exportedContacts(page)).length - 1).toBe(processed);
});

test("the import page follows the language and theme", async ({ page }) => {
  await page.goto("/contacts/import");
  await page.getByRole("button", { name: "Menú de usuario" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import contacts" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Drag the file here/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent imports" })).toBeVisible();
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: "test-results/import-upload-en-dark.png", fullPage: true });
  // Back to Spanish for whoever reuses this browser state.
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitemradio", { name: "Español" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Importar contactos" })).toBeVisible();
});
