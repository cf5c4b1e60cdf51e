import { expect, test as setup } from "@playwright/test";
import { E2E_APP_URL, KEYCLOAK_CLIENT_ID, KEYCLOAK_ISSUER } from "../scripts/keycloak/settings";

// Keycloak boots beside the app (scripts/keycloak/e2e.ts); the scenarios wait for its realm,
// and its login page is rendered once here so the first scenario does not pay for the warm-up.
setup("Keycloak serves the salestrack realm and its login page", async ({ request }) => {
  setup.setTimeout(600_000);
  await expect
    .poll(
      async () =>
        (
          await request.get(`${KEYCLOAK_ISSUER}/.well-known/openid-configuration`).catch(() => null)
        )?.status(),
      { timeout: 590_000, intervals: [1000] },
    )
    .toBe(200);
  const login = new URL(`${KEYCLOAK_ISSUER}/protocol/openid-connect/auth`);
  login.search = new URLSearchParams({
    client_id: KEYCLOAK_CLIENT_ID,
    response_type: "code",
    scope: "openid",
    redirect_uri: `${E2E_APP_URL}/api/auth/callback/keycloak`,
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
  }).toString();
  const page = await request.get(login.toString(), { timeout: 120_000 });
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('id="password"');
});
