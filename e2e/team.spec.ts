import { expect, test, type Browser, type Page } from "@playwright/test";
import { USERS } from "./helpers";

/** A browser of its own, signed out, in Spanish like the admin's. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [] },
    locale: "es-PY",
  });
  return context.newPage();
}

/** The issuer's login form, reached from the app's sign-in page. */
async function logInThroughIssuer(page: Page, user: { email: string; password: string }) {
  await page.getByRole("button", { name: "Iniciar sesión con SSO" }).click();
  await page.getByLabel(/Correo electrónico/).fill(user.email);
  await page.getByLabel(/Contraseña/).fill(user.password);
  await page.getByRole("button", { name: /Iniciar sesión \/ Sign in/ }).click();
}

async function createWorkspace(page: Page, name: string) {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Cambiar de espacio de trabajo" }).click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill(name);
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText(name);
}

/** Creates an invitation on the Team page and returns its link (shown once). */
async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.getByLabel("Correo", { exact: true }).fill(email);
  await page.getByRole("combobox", { name: "Rol", exact: true }).click();
  await page.getByRole("option", { name: role }).click();
  await page.getByRole("button", { name: "Crear invitación" }).click();
  const link = page.getByLabel("Enlace de invitación");
  await expect(link).toHaveValue(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  return link.inputValue();
}

test("SSO members are shown as managed in Keycloak and cannot be removed here", async ({
  page,
}) => {
  await page.goto("/settings/team");
  const row = page.getByRole("row", { name: /operator@salestrack\.local/ });
  await expect(row).toContainText("/workspaces/demo");
  await expect(row).toContainText("Gestionado en Keycloak: quitalo del grupo /workspaces/demo");
  await expect(row.getByRole("button", { name: /Quitar/ })).toHaveCount(0);
});

test("invite by link: the invitee signs in through the link, sees workspace and role, accepts", async ({
  page,
  browser,
}) => {
  const name = `Equipo Invitado ${Date.now().toString(36)}`;
  await createWorkspace(page, name);
  await page.goto("/settings/team");
  const link = await invite(page, USERS.operator.email, "Operador");
  const pending = page.getByRole("row", { name: /operator@salestrack\.local/ });
  await expect(pending).toContainText("Operador");
  await expect(pending).toContainText("Ana Admin");
  // Not a member until they accept.
  const members = page.getByRole("table").first();
  await expect(
    members.getByRole("cell", { name: "operator@salestrack.local", exact: true }),
  ).toHaveCount(0);

  const invitee = await freshPage(browser);
  await invitee.goto(link);
  await expect(invitee).toHaveURL(/\/signin\?callbackUrl=%2Finvitations%2F/);
  await logInThroughIssuer(invitee, USERS.operator);
  await expect(invitee).toHaveURL(new URL(link).pathname);
  await expect(invitee.getByText(`Sumarte a ${name}`)).toBeVisible();
  await expect(invitee.getByText("con el rol Operador")).toBeVisible();
  await invitee.getByRole("button", { name: "Aceptar invitación" }).click();
  await expect(invitee).toHaveURL(/\/dashboard$/);
  await expect(invitee.getByTestId("current-workspace")).toHaveText(name);
  await invitee.context().close();

  await page.reload();
  await expect(page.getByText("No hay invitaciones pendientes.")).toBeVisible();
  const member = page.getByRole("row", { name: /operator@salestrack\.local/ });
  await expect(member).toContainText("Manual");

  // A role change asks first; cancelling changes nothing.
  const role = page.getByRole("combobox", { name: "Rol: operator@salestrack.local" });
  await role.click();
  await page.getByRole("option", { name: "Lector" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("¿Cambiar el rol de Óscar Operador a Lector?");
  await dialog.getByRole("button", { name: "Cancelar" }).click();
  await expect(role).toHaveText("Operador");
  await role.click();
  await page.getByRole("option", { name: "Lector" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cambiar rol" }).click();
  await expect(role).toHaveText("Lector");

  // Made in-app, so it can be removed in-app.
  await member.getByRole("button", { name: "Quitar Óscar Operador" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Quitar" }).click();
  await expect(page.getByRole("row", { name: /operator@salestrack\.local/ })).toHaveCount(0);
});

test("a link opened with another account says so and shows nothing of the workspace", async ({
  page,
  browser,
}) => {
  const name = `Equipo Privado ${Date.now().toString(36)}`;
  await createWorkspace(page, name);
  await page.goto("/settings/team");
  const link = await invite(page, `someone-${Date.now()}@example.test`, "Administrador");

  const other = await freshPage(browser);
  await other.goto(link);
  await logInThroughIssuer(other, USERS.viewer);
  await expect(other.getByText("Esta invitación es para otro correo.")).toBeVisible();
  await expect(other.getByText(USERS.viewer.email)).toBeVisible();
  await expect(other.getByText(name)).toHaveCount(0);
  await expect(other.getByRole("button", { name: "Aceptar invitación" })).toHaveCount(0);
  await other.context().close();

  // The admin can still revoke it.
  const row = page.getByRole("row", { name: /someone-.*@example\.test/ });
  await row.getByRole("button", { name: /Revocar la invitación/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revocar" }).click();
  await expect(page.getByText("No hay invitaciones pendientes.")).toBeVisible();
});

test("a session cookie copied before sign-out stops working after it", async ({ browser }) => {
  const original = await freshPage(browser);
  await original.goto("/signin");
  await logInThroughIssuer(original, USERS.viewer);
  await expect(original).toHaveURL(/\/dashboard$/);
  const copied = await original.context().cookies();
  const mine = await original.request.get("/api/trpc/workspaces.mine");
  expect(mine.status()).toBe(200);

  await original.getByRole("button", { name: /Menú de usuario|User menu/ }).click();
  await original.getByRole("menuitem", { name: /Cerrar sesión|Sign out/ }).click();
  await expect(original).toHaveURL(/\/signin\?signedOut=1/);

  const replay = await browser.newContext({ storageState: { cookies: copied, origins: [] } });
  const res = await replay.request.get("/api/trpc/workspaces.mine");
  expect(res.status()).toBe(401);
  const page = await replay.newPage();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await replay.close();
  await original.context().close();
});
