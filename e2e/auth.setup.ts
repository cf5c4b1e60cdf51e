import { expect, test as setup } from "@playwright/test";
import { signIn, USERS } from "./helpers";

// Signs the admin in once; the other specs reuse the stored session.
setup("sign in as admin", async ({ page }) => {
  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: /Hola, Ana Admin/ })).toBeVisible();
  // Provider tokens stay server-side: the session cookie must stay far below 4 KB.
  const cookies = await page.context().cookies();
  const session = cookies.filter((c) => c.name.includes("next-auth.session-token"));
  expect(session).toHaveLength(1);
  expect(session[0]!.name.length + session[0]!.value.length).toBeLessThan(4096);
  await page.context().storageState({ path: "e2e/.auth/admin.json" });
});
