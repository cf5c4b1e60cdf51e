import { expect, test as setup } from "@playwright/test";
import { signIn, USERS } from "./helpers";

// Signs the admin in once; the other specs reuse the stored session.
setup("sign in as admin", async ({ page }) => {
  await signIn(page, USERS.admin);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: /Hola, Ana Admin/ })).toBeVisible();
  await page.context().storageState({ path: "e2e/.auth/admin.json" });
});
