import { expect, test, type Page } from "@playwright/test";
import { createRealmUser, disableRealmUser, userSessions } from "./keycloak-admin";
import { mainNav, signInWithKeycloak } from "./helpers";

// The test realm's access tokens live 20 s (e2e-keycloak/realm.test-overlay.json); the app
// refreshes one in its last quarter, at the first request after 15 s.
const PAST_REFRESH_POINT_MS = 17_000;

async function lastAccess(userId: string): Promise<number> {
  const sessions = await userSessions(userId);
  expect(sessions).toHaveLength(1);
  return sessions[0]!.lastAccess;
}

async function browse(page: Page, link: "Contactos" | "Campañas" | "Panel") {
  await mainNav(page).getByRole("link", { name: link }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  await expect(mainNav(page)).toBeVisible();
}

test("a long session refreshes its access token, with no visible effect", async ({ page }) => {
  test.setTimeout(120_000);
  const user = await createRealmUser({ realmRoles: ["operator"], groups: ["/workspaces/demo"] });
  await signInWithKeycloak(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  let seen = await lastAccess(user.id);
  for (const link of ["Contactos", "Campañas"] as const) {
    await page.waitForTimeout(PAST_REFRESH_POINT_MS);
    await browse(page, link);
    // Keycloak saw the refresh-token grant: the SSO session was used again.
    await expect.poll(() => lastAccess(user.id)).toBeGreaterThan(seen);
    seen = await lastAccess(user.id);
  }
  await browse(page, "Panel");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a user disabled in Keycloak is signed out at the next refresh", async ({ page }) => {
  test.setTimeout(90_000);
  const user = await createRealmUser({ realmRoles: ["operator"], groups: ["/workspaces/demo"] });
  await signInWithKeycloak(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await disableRealmUser(user.id);

  // Until the access token is due the session stands (the app does not ask Keycloak)…
  await browse(page, "Contactos");
  // …and the first refresh after it is rejected, which ends the session.
  await page.waitForTimeout(PAST_REFRESH_POINT_MS);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?error=SessionEnded/);
});
