import { expect, test } from "@playwright/test";
import { USERS } from "./helpers";

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
  await expect(page.getByRole("cell", { name: "Inicio de sesión" }).first()).toBeVisible();
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

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  const noSidewaysScroll = async (page: import("@playwright/test").Page) =>
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      "the page itself never scrolls sideways",
    ).toBeLessThanOrEqual(390);

  test("a menu sheet reaches every section, by keyboard too", async ({ page }) => {
    await page.goto("/dashboard");
    await noSidewaysScroll(page);
    const menuButton = page.getByRole("button", { name: "Abrir el menú de navegación" });
    await expect(menuButton).toBeVisible();
    // The desktop sidebar is not there to tab through.
    await expect(page.getByRole("navigation", { name: "Navegación principal" })).toHaveCount(0);

    await menuButton.click();
    const sheet = page.getByRole("dialog", { name: "SalesTrack" });
    const nav = sheet.getByRole("navigation", { name: "Navegación principal" });
    for (const label of ["Panel", "Contactos", "Campañas", "Bots", "Registros", "Configuración"]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
    await expect(nav.getByRole("link", { name: "Panel" })).toHaveAttribute("aria-current", "page");
    await page.screenshot({ path: "test-results/phone-menu-sheet.png" });
    // Focus is inside the sheet; Escape closes it and gives focus back to the button.
    await expect(sheet.locator(":focus")).toHaveCount(1);
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(menuButton).toBeFocused();

    // Enter opens it again; Tab walks to a link and Enter follows it; the sheet closes.
    await page.keyboard.press("Enter");
    await expect(sheet).toBeVisible();
    const campaigns = nav.getByRole("link", { name: "Campañas" });
    for (
      let i = 0;
      i < 10 && !(await campaigns.evaluate((el) => el === document.activeElement));
      i++
    )
      await page.keyboard.press("Tab");
    await expect(campaigns).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/campaigns$/);
    await expect(sheet).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Campañas" })).toBeVisible();

    await menuButton.click();
    await nav.getByRole("link", { name: "Configuración" }).click();
    await expect(page).toHaveURL(/\/settings\/team$/);
    await noSidewaysScroll(page);
  });

  test("contacts: the table scrolls inside its card and row actions stay reachable", async ({
    page,
  }) => {
    await page.goto("/contacts");
    const table = page.getByRole("table", { name: "Lista de contactos" });
    await expect(table.getByRole("row").nth(1)).toBeVisible();
    await noSidewaysScroll(page);
    const actions = table.getByRole("button", { name: /Acciones para/ }).first();
    await expect(actions).toBeInViewport();
    await actions.click();
    await expect(page.getByRole("menuitem", { name: "Editar" })).toBeVisible();
    await page.keyboard.press("Escape");
    await page.screenshot({ path: "test-results/phone-contacts.png" });
  });
});

test("a deep link survives sign-in", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/contacts/groups");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fcontacts%2Fgroups$/);
  await page.getByRole("button", { name: "Iniciar sesión con SSO" }).click();
  await page.getByLabel(/Correo electrónico/).fill(USERS.operator.email);
  await page.getByLabel(/Contraseña/).fill(USERS.operator.password);
  await page.getByRole("button", { name: /Iniciar sesión \/ Sign in/ }).click();
  await expect(page).toHaveURL(/\/contacts\/groups$/);
  await expect(page.getByRole("heading", { level: 1, name: "Grupos" })).toBeVisible();
  await context.close();
});

test("every page has a title in the reader's language, the sign-in page too", async ({
  page,
  browser,
}) => {
  const titles: [string, string][] = [
    ["/dashboard", "Panel · SalesTrack"],
    ["/contacts", "Contactos · SalesTrack"],
    ["/contacts/groups", "Grupos · SalesTrack"],
    ["/logs", "Registros · SalesTrack"],
    ["/settings/team", "Equipo · SalesTrack"],
  ];
  for (const [path, title] of titles) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
  }
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signedOut = await context.newPage();
  await signedOut.goto("/signin");
  await expect(signedOut).toHaveTitle("Iniciar sesión · SalesTrack");
  await expect(signedOut.getByRole("heading", { level: 1 })).toHaveText(
    "Iniciar sesión en SalesTrack",
  );
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: signedOut.url() }]);
  await signedOut.reload();
  await expect(signedOut).toHaveTitle("Sign in · SalesTrack");
  await context.close();
});

test("skip link, '/' for search, and a page load with no console error", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  page.on("pageerror", (err) => errors.push(err.message));

  await page.goto("/dashboard");
  await expect(
    page.getByRole("heading", { level: 2, name: "Contactos", exact: true }),
  ).toBeVisible();
  await expect(page.getByTestId("contacts-total")).toHaveText(/^\d[\d.]*$/);
  await expect(
    page.getByRole("heading", { level: 2, name: "Importaciones recientes" }),
  ).toBeVisible();

  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Saltar al contenido" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  await page.goto("/contacts");
  const search = page.getByRole("searchbox", { name: "Buscar por nombre o teléfono" });
  await expect(search).toBeVisible();
  await page.locator("h1").click();
  await page.keyboard.press("/");
  await expect(search).toBeFocused();
  await expect(search).toHaveValue("");
  // Inside a field "/" is just a character.
  await page.keyboard.type("a/b");
  await expect(search).toHaveValue("a/b");

  // Relative times (last sign-in) and dates render without next-intl falling back.
  await page.goto("/settings/team");
  await expect(page.getByRole("cell", { name: "admin@salestrack.local" })).toBeVisible();
  expect(errors).toEqual([]);
});
