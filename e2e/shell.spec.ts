import { expect, test } from "@playwright/test";

test("admin sees the dashboard shell in Spanish and can switch to English", async ({ page }) => {
  await page.goto("/dashboard");
  const nav = page.getByRole("navigation", { name: "Navegación principal" }).first();
  for (const label of ["Panel", "Contactos", "Campañas", "Bots", "Registros", "Configuración"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(page.getByTestId("current-workspace")).toHaveText("Demo SalesTrack");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");

  await page.getByRole("button", { name: "Menú de usuario" }).click();
  await page.getByRole("menuitemradio", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: /Hello, Ana Admin/ })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(
    page
      .getByRole("navigation", { name: "Main navigation" })
      .first()
      .getByRole("link", { name: "Settings" }),
  ).toBeVisible();
});

test("admin opens Settings → Team and sees the demo members with their roles", async ({ page }) => {
  await page.goto("/dashboard");
  await page
    .getByRole("navigation", { name: "Navegación principal" })
    .first()
    .getByRole("link", { name: "Configuración" })
    .click();
  await expect(page).toHaveURL(/\/settings\/team$/);
  await expect(page.getByText("Miembros del equipo")).toBeVisible();
  const table = page.getByRole("table");
  await expect(table.getByRole("cell", { name: "admin@salestrack.local" })).toBeVisible();
  await expect(table.getByRole("cell", { name: "operator@salestrack.local" })).toBeVisible();
  await expect(table.getByRole("cell", { name: "viewer@salestrack.local" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Rol: operator@salestrack.local" })).toHaveText(
    "Operador",
  );

  await page.getByRole("link", { name: "Auditoría" }).click();
  await expect(page.getByRole("cell", { name: "auth.sign_in" }).first()).toBeVisible();
});

test("dark mode applies from the user menu", async ({ page }) => {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Menú de usuario" }).click();
  await page.getByRole("menuitemradio", { name: "Oscuro" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
});

test("settings pages render for the admin: audit filters and workspace form", async ({ page }) => {
  await page.goto("/settings/general");
  await expect(page.getByLabel("Nombre")).toHaveValue("Demo SalesTrack");
  await page.screenshot({ path: "test-results/settings-general.png", fullPage: true });
  await page.goto("/settings/team");
  await page.screenshot({ path: "test-results/settings-team.png", fullPage: true });
});

test("admin creates a second workspace and switches between the two", async ({ page }) => {
  await page.goto("/dashboard");
  const switcher = page.getByRole("button", { name: "Cambiar de espacio de trabajo" });
  await switcher.click();
  await page.getByRole("menuitem", { name: "Nuevo espacio de trabajo" }).click();
  await page.getByLabel("Nombre").fill("Equipo Norte");
  await page.getByRole("button", { name: "Crear" }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText("Equipo Norte");

  await page.goto("/settings/team");
  await expect(page.getByRole("cell", { name: "admin@salestrack.local" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "operator@salestrack.local" })).toHaveCount(0);

  await switcher.click();
  await page.getByRole("menuitem", { name: /Demo SalesTrack/ }).click();
  await expect(page.getByTestId("current-workspace")).toHaveText("Demo SalesTrack");
  await expect(page.getByRole("cell", { name: "operator@salestrack.local" })).toBeVisible();
});
