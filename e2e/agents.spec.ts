import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";

// Names are unique per run: the suite may run again against the same database.
const suffix = () => Date.now().toString(36);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The TypeScript SDK's example agent, pointed at the e2e app. */
function startAgent(botId: string, secret: string, baseUrl: string): ChildProcess {
  return spawn("node", ["--import", "tsx", "sdk/typescript/examples/demo-agent.ts"], {
    env: {
      ...process.env,
      SALESTRACK_BOT_ID: botId,
      SALESTRACK_BOT_SECRET: secret,
      SALESTRACK_URL: baseUrl,
    },
    stdio: "ignore",
  });
}

test("an agent bot runs the SDK example: a task is leased, logs stream in, it succeeds; another is canceled", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const name = `Agente ${suffix()}`;
  await page.goto("/bots");
  await page.getByRole("button", { name: "Nuevo bot" }).click();
  const dialog = page.getByRole("dialog", { name: "Nuevo bot" });
  await dialog.getByLabel("Nombre").fill(name);
  await dialog.getByRole("radio", { name: /Agente/ }).check();
  await dialog.getByRole("button", { name: "Crear bot" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Secreto de firma" });
  const secret = await secretDialog.getByLabel(`Secreto de firma de ${name}`).inputValue();
  expect(secret).toMatch(/^whsec_/);
  const botId = UUID.exec((await secretDialog.textContent()) ?? "")?.[0];
  expect(botId).toBeTruthy();
  await secretDialog.getByRole("button", { name: "Ya lo guardé" }).click();

  const action = `demo.echo${suffix()}`;
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { level: 1, name: "Tareas" })).toBeVisible();
  await page.getByRole("button", { name: "Declarar una acción" }).click();
  const actionDialog = page.getByRole("dialog", { name: "Declarar una acción" });
  await actionDialog.getByLabel("Nombre").fill(action);
  await actionDialog.getByLabel("JSON Schema de los datos").fill('{"type":"object"}');
  await actionDialog.getByRole("button", { name: "Guardar" }).click();
  await expect(actionDialog).toBeHidden();

  const agent = startAgent(botId!, secret, baseURL!);
  try {
    // Its first heartbeat turns it online on the Bots page.
    await page.goto("/bots");
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText(
      "Agente conectado",
      { timeout: 30_000 },
    );
    await page.goto("/tasks");
    await page.getByRole("button", { name: "Nueva tarea" }).click();
    const taskDialog = page.getByRole("dialog", { name: "Nueva tarea" });
    await taskDialog.getByLabel("Bot agente").selectOption({ label: name });
    await taskDialog.getByLabel("Acción").selectOption(action);
    await taskDialog.getByLabel("Datos (JSON)").fill('{"n":1}');
    await taskDialog.getByRole("button", { name: "Crear tarea" }).click();
    await expect(taskDialog).toBeHidden();

    const row = page.getByRole("row", { name: new RegExp(action) }).first();
    await expect(row).toContainText("Completada", { timeout: 30_000 });
    await row.getByRole("button").first().click();
    const detail = page.getByRole("dialog", { name: action });
    await expect(detail).toContainText("Asignada al agente");
    await expect(detail).toContainText("Completada");
    await page.keyboard.press("Escape");

    await page.goto("/logs");
    await expect(page.getByText(`working on ${action}`).first()).toBeVisible({ timeout: 15_000 });
  } finally {
    agent.kill("SIGTERM");
  }

  // With the agent stopped, a new task waits; canceling it is audited.
  await page.goto("/tasks");
  await page.getByRole("button", { name: "Nueva tarea" }).click();
  const second = page.getByRole("dialog", { name: "Nueva tarea" });
  await second.getByLabel("Bot agente").selectOption({ label: name });
  await second.getByLabel("Acción").selectOption(action);
  await second.getByRole("button", { name: "Crear tarea" }).click();
  const pending = page.getByRole("row", { name: /Pendiente/ }).first();
  await pending.getByRole("button", { name: "Cancelar" }).click();
  await expect(page.getByRole("row", { name: new RegExp(action) }).first()).toContainText(
    "Cancelada",
  );
  await page.goto("/settings/audit");
  // The audit log names the action (its code stays in the title).
  await expect(page.locator('[title="task.canceled"]').first()).toHaveText("Tarea cancelada");
});
