import { expect, test as setup } from "@playwright/test";
import { KEYCLOAK_ISSUER } from "../scripts/keycloak/settings";

// Keycloak boots beside the app (scripts/keycloak/e2e.ts); the scenarios wait for its realm.
setup("Keycloak serves the salestrack realm", async ({ request }) => {
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
});
