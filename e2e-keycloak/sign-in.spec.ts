import { expect, test } from "@playwright/test";
import { KEYCLOAK_URL } from "../scripts/keycloak/settings";
import { createRealmUser } from "./keycloak-admin";
import { mainNav, openKeycloakLogin, signInWithKeycloak, signOut, TEST_USERS } from "./helpers";

test("a client role and a /workspaces/<slug> group make a new user admin of that workspace", async ({
  page,
}) => {
  const user = await createRealmUser({ clientRoles: ["admin"], groups: ["/workspaces/demo"] });
  await signInWithKeycloak(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Hola, ${user.name}` })).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Configuración" })).toBeVisible();
  const team = await page.goto("/settings/team");
  expect(team?.status()).toBe(200);
  await expect(page.getByText(`${user.username}@salestrack.test`)).toBeVisible();

  // Keycloak's real tokens stay server-side: the session cookie is small.
  const cookies = await page.context().cookies();
  const session = cookies.filter((c) => c.name.includes("next-auth.session-token"));
  expect(session).toHaveLength(1);
  expect(session[0]!.name.length + session[0]!.value.length).toBeLessThan(4096);
});

test("a realm role and the group make a new user operator: no settings", async ({ page }) => {
  const user = await createRealmUser({ realmRoles: ["operator"], groups: ["/workspaces/demo"] });
  await signInWithKeycloak(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(mainNav(page).getByRole("link", { name: "Contactos" })).toBeVisible();
  await expect(mainNav(page).getByRole("link", { name: "Configuración" })).toHaveCount(0);
  const response = await page.goto("/settings/team");
  expect(response?.status()).toBe(403);
});

test("a wrong password gets Keycloak's own error, on Keycloak's page", async ({ page }) => {
  await signInWithKeycloak(page, { username: TEST_USERS.admin.username, password: "wrong-one" });
  await expect(page).toHaveURL(new RegExp(`^${KEYCLOAK_URL}/`));
  // Keycloak's own message, in the browser's language (Spanish here).
  await expect(page.getByText("Usuario o contraseña incorrectos.")).toBeVisible();
  await expect(page.locator("#username")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#password")).toBeVisible();
});

test("signing out ends the Keycloak session: the next sign-in asks for the password", async ({
  page,
}) => {
  await signInWithKeycloak(page, TEST_USERS.admin);
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await expect(page.getByRole("status")).toContainText("Cerraste sesión");

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await openKeycloakLogin(page);
});
