import { expect, type Page } from "@playwright/test";
import { KEYCLOAK_URL } from "../scripts/keycloak/settings";

/** The realm's test users (deploy/keycloak/salestrack-realm.test-users.json). */
export const TEST_USERS = {
  admin: { username: "admin", password: "admin-demo-1" },
  operator: { username: "operator", password: "operator-demo-1" },
} as const;

/** From the app's sign-in page to Keycloak's own login page. */
export async function openKeycloakLogin(page: Page) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Iniciar sesión con SSO" }).click();
  // Keycloak renders its login page slowly on a busy two-core machine.
  await page.waitForURL(new RegExp(`^${KEYCLOAK_URL}/realms/salestrack/`), { timeout: 60_000 });
  await expect(page.locator("#password")).toBeVisible({ timeout: 60_000 });
}

/** Signs in on Keycloak's login page (its form's ids are stable across its themes). */
export async function signInWithKeycloak(page: Page, user: { username: string; password: string }) {
  await openKeycloakLogin(page);
  await page.locator("#username").fill(user.username);
  await page.locator("#password").fill(user.password);
  await page.locator("#kc-login").click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Menú de usuario" }).click();
  await page.getByRole("menuitem", { name: "Cerrar sesión" }).click();
}

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Navegación principal" }).first();
}
