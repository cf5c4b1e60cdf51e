import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/**
 * axe-core (WCAG 2.1 A and AA rules) on every page: signed out and in, light and dark,
 * desktop and phone (390×844). Any serious or critical violation fails, listed by rule,
 * element and page. Pages behind an id (a campaign, an import) are found by following links.
 */

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const SIGNED_IN_PAGES = [
  "/dashboard",
  "/contacts",
  "/contacts/import",
  "/contacts/groups",
  "/campaigns",
  "/campaigns/new",
  "/bots",
  "/tasks",
  "/tasks/schedules",
  "/logs",
  "/settings/general",
  "/settings/team",
  "/settings/api-keys",
  "/settings/audit",
];

const VARIANTS = [
  { name: "desktop, light", viewport: { width: 1280, height: 800 }, colorScheme: "light" },
  { name: "desktop, dark", viewport: { width: 1280, height: 800 }, colorScheme: "dark" },
  { name: "phone, light", viewport: { width: 390, height: 844 }, colorScheme: "light" },
  { name: "phone, dark", viewport: { width: 390, height: 844 }, colorScheme: "dark" },
] as const;

/** Loaded: the page's heading is there and nothing is still marked busy or drawn as a skeleton. */
async function settle(page: Page) {
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"], [data-slot="skeleton"]')).toHaveCount(0);
}

/**
 * Serious and critical violations as readable lines: rule, what it says, where. `within` scans
 * one open overlay only: a modal menu or dialog hides the page behind it from assistive
 * technology and traps focus, which axe would otherwise report for every control behind it.
 */
async function seriousViolations(page: Page, label: string, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  if (within) builder.include(within);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((n) => `${label} · ${v.id} (${v.impact}): ${v.help} → ${n.target.join(" ")}`),
    );
}

async function expectThemeApplied(page: Page, colorScheme: "light" | "dark") {
  await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${colorScheme}\\b`));
}

/** The first link on `from` whose address matches `pattern`, or null when there is none. */
async function firstLink(page: Page, from: string, pattern: RegExp): Promise<string | null> {
  await page.goto(from);
  await settle(page);
  const hrefs = await page
    .locator("main a[href]")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.find((h) => pattern.test(h)) ?? null;
}

for (const variant of VARIANTS) {
  test.describe(`axe, ${variant.name}`, () => {
    test.use({ viewport: variant.viewport, colorScheme: variant.colorScheme });

    test("signed out: the sign-in page", async ({ browser }) => {
      const context = await browser.newContext({
        storageState: { cookies: [], origins: [] },
        viewport: variant.viewport,
        colorScheme: variant.colorScheme,
      });
      const page = await context.newPage();
      await page.goto("/signin");
      await settle(page);
      await expectThemeApplied(page, variant.colorScheme);
      expect(await seriousViolations(page, "/signin")).toEqual([]);
      await context.close();
    });

    test("signed in: every page", async ({ page }) => {
      test.setTimeout(240_000);
      const campaign = await firstLink(page, "/campaigns", /^\/campaigns\/[0-9a-f-]{36}$/);
      const contact = await firstLink(page, "/contacts", /^\/contacts\/[0-9a-f-]{36}$/);
      const anImport = await firstLink(page, "/dashboard", /^\/contacts\/import\/[0-9a-f-]{36}$/);
      const bot = await firstLink(page, "/bots", /^\/bots\/[0-9a-f-]{36}$/);
      const pages = [
        ...SIGNED_IN_PAGES,
        campaign,
        campaign && `${campaign}/report`,
        contact,
        anImport,
        bot,
      ].filter((p): p is string => !!p);
      // The demo data has a campaign and contacts; the dashboard links recent imports if any.
      expect(campaign, "a campaign page to check").not.toBeNull();
      expect(contact, "a contact page to check").not.toBeNull();
      expect(bot, "a bot page to check").not.toBeNull();

      const found: string[] = [];
      for (const path of pages) {
        await page.goto(path);
        await settle(page);
        await expectThemeApplied(page, variant.colorScheme);
        found.push(...(await seriousViolations(page, path)));
      }

      // Overlays of the shell: the phone's navigation sheet, the user menu.
      await page.goto("/dashboard");
      await settle(page);
      if (variant.viewport.width < 768) {
        await page.getByRole("button", { name: /Abrir el menú de navegación/ }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
        found.push(
          ...(await seriousViolations(page, "/dashboard (menu sheet)", '[role="dialog"]')),
        );
        await page.keyboard.press("Escape");
      }
      await page.getByRole("button", { name: /Menú de usuario/ }).click();
      await expect(page.getByRole("menu")).toBeVisible();
      found.push(...(await seriousViolations(page, "/dashboard (user menu)", '[role="menu"]')));

      expect(found).toEqual([]);
    });
  });
}
