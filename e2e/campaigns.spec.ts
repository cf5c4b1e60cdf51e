import { expect, test, type Locator, type Page } from "@playwright/test";

/**
 * Campaigns end to end on the demo workspace's seeded groups, through sandbox bots this
 * spec creates itself (named per run, so reruns against the same database never clash).
 * Every campaign overrides the cool-off to 0 days, so earlier runs never skip anyone.
 */
const suffix = () => Date.now().toString(36);

async function createSandboxBot(page: Page, name: string, perSecond?: number) {
  await page.goto("/bots");
  await page.getByRole("button", { name: "Nuevo bot" }).click();
  const dialog = page.getByRole("dialog", { name: "Nuevo bot" });
  await dialog.getByLabel("Nombre").fill(name);
  await dialog.getByLabel("Latencia (ms)").fill("0");
  await dialog.getByLabel("Confirmación de entrega a los (ms)").fill("500");
  await dialog.getByLabel("Confirmación de lectura a los (ms)").fill("1000");
  if (perSecond) await dialog.getByLabel("Por segundo").fill(String(perSecond));
  await dialog.getByRole("button", { name: "Crear bot" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();
}

/** Fills the builder: one group, the given text templates, one bot, cool-off override. */
async function buildCampaign(
  page: Page,
  {
    name,
    group,
    bot,
    templates,
  }: { name: string; group: string; bot: string; templates: string[] },
) {
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Nueva campaña" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Nueva campaña" })).toBeVisible();
  await page.getByRole("textbox", { name: "Nombre de la campaña" }).fill(name);
  await page.getByRole("group", { name: "Grupos", exact: true }).getByLabel(group).check();
  const bodies = page.getByRole("textbox", { name: "Mensaje", exact: true });
  for (const [i, text] of templates.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Agregar plantilla" }).click();
    await bodies.nth(i).fill(text);
  }
  await page.getByRole("group", { name: "Bots", exact: true }).getByLabel(bot).check();
  await page.getByLabel("Cambiar el período de espera para esta campaña").check();
  await page.getByLabel("Días").fill("0");
  await page.getByLabel("Motivo (queda en la auditoría)").fill("Prueba e2e");
}

/** A counter of the summary or of the campaign page: the dd after its dt. */
const stat = (scope: Page | Locator, label: string) =>
  scope
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${label}:?$`) })
    .locator("xpath=following-sibling::dd[1]");
const count = async (scope: Page, label: string) =>
  Number((await stat(scope, label).innerText()).replace(/\D/g, ""));

/** The status badge in the campaign page's header. */
const status = (page: Page) => page.getByTestId("campaign-status");

async function launch(page: Page) {
  await page.getByRole("button", { name: "Lanzar", exact: true }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText(/El envío empieza enseguida: \d+ mensajes? por 1 bot/);
  await confirm.getByRole("button", { name: "Lanzar" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
}

test("builds a campaign from a group with two templates, previews, launches and completes it", async ({
  page,
}) => {
  const bot = `Sandbox e2e ${suffix()}`;
  const name = `VIP dos plantillas ${suffix()}`;
  await createSandboxBot(page, bot);
  await buildCampaign(page, {
    name,
    group: "VIP",
    bot,
    templates: [
      "Hola {{nombre|cliente}}, tenemos novedades.",
      "Buenas {{sustantivo|}} {{nombre}}.",
    ],
  });

  // Live previews, rendered by the server for the sample contact (Sra. Ana).
  const previews = page.getByRole("group", { name: "Vista previa" });
  await expect(previews.nth(0)).toContainText("Hola Ana, tenemos novedades.");
  await expect(previews.nth(1)).toContainText("Buenas Sra. Ana.");

  // The pre-launch summary: the VIP group, nobody skipped for cool-off (override to 0 days).
  const summary = page.getByRole("region", { name: "Antes de lanzar" });
  await expect(stat(summary, "Recibirán el mensaje")).toHaveText(/^[1-9]\d*$/);
  await expect(stat(summary, "Período de espera")).toHaveText("0");
  const willSend = Number(await stat(summary, "Recibirán el mensaje").innerText());

  await launch(page);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const bar = page.getByRole("progressbar", { name: "Progreso" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(status(page)).toHaveText("Terminada");
  expect(await count(page, "Enviados")).toBe(willSend);

  // Every recipient is listed (skipped ones too), and the two templates rotated between them.
  const total = await count(page, "Total");
  const table = page.getByRole("table", { name: "Destinatarios de la campaña" });
  await expect(table.getByRole("row")).toHaveCount(total + 1);
  await expect(table.getByRole("cell", { name: "#1" }).first()).toBeVisible();
  await expect(table.getByRole("cell", { name: "#2" }).first()).toBeVisible();

  const href = await page.getByRole("link", { name: "Exportar CSV" }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe(
    "phone,name,group,template,status,error_code,attempts,provider_message_id,sent_at,delivered_at,read_at,updated_at",
  );
  expect(lines).toHaveLength(total + 1);
});

test("pauses a running campaign on a paced bot, resumes it, then cancels it", async ({ page }) => {
  const bot = `Sandbox 2 por segundo ${suffix()}`;
  const name = `Clientes pausable ${suffix()}`;
  await createSandboxBot(page, bot, 2);
  await buildCampaign(page, {
    name,
    group: "Clientes",
    bot,
    templates: ["Hola {{nombre|cliente}}."],
  });
  await launch(page);

  await expect(status(page)).toHaveText("Enviando");
  await expect.poll(() => count(page, "Enviados"), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Pausar" }).click();
  await expect(status(page)).toHaveText("Pausada");
  await expect(page.getByText("Pausada por alguien del equipo")).toBeVisible();

  // Paused means nothing more goes out (a send already in flight may still settle).
  await page.waitForTimeout(1000);
  const pendingWhilePaused = await count(page, "Pendientes");
  await page.waitForTimeout(1500);
  expect(await count(page, "Pendientes")).toBe(pendingWhilePaused);
  expect(pendingWhilePaused).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Reanudar" }).click();
  await expect(status(page)).toHaveText("Enviando");
  await expect
    .poll(() => count(page, "Pendientes"), { timeout: 15_000 })
    .toBeLessThan(pendingWhilePaused);
  await expect(page.getByText(/^\d+([.,]\d)? msj\/min$/)).toBeVisible({ timeout: 10_000 });

  await page.getByRole("button", { name: "Cancelar campaña" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancelar campaña" }).click();
  await expect(status(page)).toHaveText("Cancelada");
  await expect.poll(() => count(page, "Cancelados"), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect(page.getByRole("button", { name: "Reanudar" })).toHaveCount(0);
});
