import { expect, type Page } from "@playwright/test";

export const USERS = {
  admin: { email: "admin@salestrack.local", password: "admin-demo-1" },
  operator: { email: "operator@salestrack.local", password: "operator-demo-1" },
  viewer: { email: "viewer@salestrack.local", password: "viewer-demo-1" },
} as const;

/** From the app's sign-in page through the issuer's login form (a real password check). */
export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/signin");
  await page.getByRole("button", { name: /Iniciar sesión con SSO|Sign in with SSO/ }).click();
  await expect(page.getByLabel(/Correo electrónico/)).toBeVisible();
  await page.getByLabel(/Correo electrónico/).fill(user.email);
  await page.getByLabel(/Contraseña/).fill(user.password);
  await page.getByRole("button", { name: /Iniciar sesión \/ Sign in/ }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /Menú de usuario|User menu/ }).click();
  await page.getByRole("menuitem", { name: /Cerrar sesión|Sign out/ }).click();
}
