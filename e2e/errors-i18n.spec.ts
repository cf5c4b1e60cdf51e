import { expect, test, type Page } from "@playwright/test";

/**
 * Server refusals travel as codes and are written in the reader's language (issue 9 item 11);
 * the workspace's country and time zone are chosen from searchable lists (item 2).
 */

/** A phone no other spec uses: 0982 + six digits from the clock. */
const uniquePhone = () => `0982 ${String(Date.now() % 1_000_000).padStart(6, "0")}`;

async function setLocale(page: Page, locale: "es" | "en") {
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: page.url() }]);
  await page.reload();
}

async function submitContact(page: Page, phone: string, labels: { open: RegExp; phone: string }) {
  await page.getByRole("button", { name: labels.open }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(labels.phone, { exact: true }).fill(phone);
  await dialog.getByRole("button", { name: /^(Crear contacto|Create contact)$/ }).click();
  return dialog;
}

test("a server refusal reads in the reader's language, Spanish and English", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/contacts");
  await setLocale(page, "es");
  const first = await submitContact(page, phone, { open: /Nuevo contacto/, phone: "Teléfono" });
  await expect(first).toBeHidden();

  // The same number again: the server answers CONFLICT contact.phoneTaken, shown in Spanish.
  const again = await submitContact(page, phone, { open: /Nuevo contacto/, phone: "Teléfono" });
  await expect(again.getByText("Ya existe un contacto con este número de teléfono")).toBeVisible();
  await expect(again.getByText(/already exists/)).toHaveCount(0);
  await page.keyboard.press("Escape");

  await setLocale(page, "en");
  const english = await submitContact(page, phone, { open: /New contact/, phone: "Phone" });
  await expect(english.getByText("A contact with this phone number already exists")).toBeVisible();
  await page.keyboard.press("Escape");

  // A phone the server cannot read (phone.letters) is explained in English too.
  const letters = await submitContact(page, "0981 12ab34", { open: /New contact/, phone: "Phone" });
  await expect(letters.getByText("The phone contains letters")).toBeVisible();
  await page.keyboard.press("Escape");
  await setLocale(page, "es");
});

test("the workspace country and time zone are picked by typing", async ({ page }) => {
  await page.goto("/settings/general");
  await setLocale(page, "es");
  const country = page.getByRole("combobox", { name: "País por defecto" });
  const zone = page.getByRole("combobox", { name: "Zona horaria" });
  await expect(country).toHaveValue("Paraguay (PY)");

  const pick = async (box: typeof country, typed: string, option: string) => {
    await box.click();
    await box.fill(typed);
    await page.getByRole("option", { name: option }).click();
    await expect(box).toHaveValue(option);
  };
  // Accent- and case-insensitive: "peru" finds "Perú".
  await pick(country, "peru", "Perú (PE)");
  await pick(zone, "lima", "America/Lima");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByText("Configuración guardada")).toBeVisible();
  await page.reload();
  await expect(country).toHaveValue("Perú (PE)");
  await expect(zone).toHaveValue("America/Lima");

  // Nothing but a listed country can be chosen: typing alone changes nothing.
  await country.click();
  await country.fill("XX");
  await expect(page.getByRole("option")).toHaveCount(0);
  await expect(page.getByText("No hay coincidencias")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(country).toHaveValue("Perú (PE)");

  // Back to the demo's settings: other specs read Paraguayan numbers.
  await pick(country, "parag", "Paraguay (PY)");
  await pick(zone, "asunc", "America/Asuncion");
  await page.getByRole("button", { name: "Guardar" }).click();
  await expect(page.getByText("Configuración guardada")).toBeVisible();
});
