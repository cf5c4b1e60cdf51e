import { expect, test, type Page } from "@playwright/test";

/**
 * Every page under the enforced CSP: no violation reported (console, `securitypolicyviolation`)
 * and no page error, signed in as admin and signed out. The theme class on <html> proves the
 * next-themes inline script ran, i.e. carried the nonce.
 */

const SIGNED_IN_PAGES = [
  "/dashboard",
  "/contacts",
  "/contacts/import",
  "/contacts/groups",
  "/campaigns",
  "/bots",
  "/logs",
  "/settings/general",
  "/settings/team",
  "/settings/api-keys",
  "/settings/audit",
];

const VIOLATION_TAG = "[securitypolicyviolation]";

/** Collects CSP problems from the moment the page starts loading. */
async function watchCsp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to/i.test(text)) {
      problems.push(`${page.url()} console.${msg.type()}: ${text}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`${page.url()} pageerror: ${err.message}`));
  // Reported straight to the test (exposed functions survive navigations).
  await page.exposeFunction("__reportCspViolation", (text: string) =>
    problems.push(`${page.url()} ${VIOLATION_TAG} ${text}`),
  );
  await page.addInitScript(() => {
    const report = (window as unknown as { __reportCspViolation: (t: string) => void })
      .__reportCspViolation;
    document.addEventListener("securitypolicyviolation", (e) => {
      void report(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} (${e.disposition})`,
      );
    });
  });
  return problems;
}

async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(csp, path).not.toContain("unsafe-eval");
  await expect(page.locator("main").first()).toBeVisible();
  await expect(page.locator("html"), path).toHaveClass(/\b(light|dark)\b/);
  // Let client components mount, fetch and render (charts, tables, toasts).
  await page.waitForTimeout(750);
}

test("signed in: every page renders under the CSP without a violation", async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await watchCsp(page);
  for (const path of SIGNED_IN_PAGES) await visit(page, path);
  // Radix popovers position themselves with inline styles: open one.
  await page.getByRole("button", { name: /Menú de usuario|User menu/ }).click();
  await expect(page.getByRole("menu")).toBeVisible();
  await page.keyboard.press("Escape");
  // Dark mode goes through the same theme script.
  await page.emulateMedia({ colorScheme: "dark" });
  await visit(page, "/dashboard");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  expect(problems).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page renders under the CSP without a violation", async ({ page }) => {
    const problems = await watchCsp(page);
    await visit(page, "/signin");
    await expect(
      page.getByRole("button", { name: /Iniciar sesión con SSO|Sign in with SSO/ }),
    ).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test("an injected inline handler is blocked and reported", async ({ page }) => {
  const problems = await watchCsp(page);
  await visit(page, "/dashboard");
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      "beforeend",
      `<img src="/nope.png" onerror="window.__injected = true">`,
    );
  });
  await expect.poll(() => problems.length).toBeGreaterThan(0);
  expect(
    await page.evaluate(() => (window as { __injected?: boolean }).__injected),
  ).toBeUndefined();
  expect(problems.join("\n")).toContain("script-src");
});
