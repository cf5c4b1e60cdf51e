import { expect, test } from "@playwright/test";
import { signIn, signOut, USERS } from "./helpers";

// These flows start signed out.
test.use({ storageState: { cookies: [], origins: [] } });

test("wrong password shows an error on the login form", async ({ page }) => {
  await signIn(page, { email: USERS.admin.email, password: "not-the-password" });
  await expect(page.getByRole("alert")).toContainText("Usuario o contraseña incorrectos");
  await expect(page.getByLabel(/Contraseña/)).toBeVisible();
});

test("sign out ends the SSO session: signing in again asks for the password", async ({ page }) => {
  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await expect(page.getByRole("status")).toContainText("Cerraste sesión");

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Iniciar sesión con SSO" }).click();
  await expect(page.getByLabel(/Contraseña/)).toBeVisible();
});

test("operator has no Settings link and the Settings URL answers 403", async ({ page }) => {
  await signIn(page, USERS.operator);
  await expect(page).toHaveURL(/\/dashboard$/);
  const nav = page.getByRole("navigation", { name: "Navegación principal" }).first();
  await expect(nav.getByRole("link", { name: "Contactos" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Configuración" })).toHaveCount(0);

  const response = await page.goto("/settings/team");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
});
