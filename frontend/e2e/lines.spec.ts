import { expect, test } from "@playwright/test";

import { checkAccessible, collectErrors, screenshot, settled } from "./support";

/**
 * Line items through the generic screens, on the test plugin's supplier bills: the owner makes
 * a bill with three lines in the form, sees each line's amount and the total while typing, is
 * told of a bad line at its cell, creates it, and sees its lines — with the server's amounts and
 * total — on the bill's page, with its PDF a link for a new tab. No console error but the
 * browser's note of the refused create; axe finds nothing serious.
 */

const PASSWORD = "correct horse battery staple";

test.use({ actionTimeout: 20_000, navigationTimeout: 30_000 });

test("a bill with three lines is made in the form, with its total, and shown on its page", async ({ page }) => {
  test.setTimeout(240_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const errors: string[] = [];
  collectErrors(page.context(), "owner", errors);
  const signedUp = await page.request.post("/api/v1/signup", {
    data: { company_name: `Lines ${run}`, slug: `lines-${run}`, name: "Olive Owner", email: `owner-${run}@example.com`, password: PASSWORD },
  });
  expect(signedUp.ok(), await signedUp.text()).toBe(true);
  const { csrf_token: csrf } = (await signedUp.json()) as { csrf_token: string };
  const enabled = await page.request.post("/api/v1/modules/expenses/enable", { headers: { "X-CSRF-Token": csrf } });
  expect(enabled.ok(), await enabled.text()).toBe(true);

  await page.goto("/expenses/bills/new");
  await expect(page.getByRole("heading", { level: 1, name: "New Supplier bill" })).toBeVisible();
  await page.getByLabel("Supplier", { exact: true }).fill("Acme Supplies");
  await page.getByLabel("Currency", { exact: true }).fill("CNY");
  const add = page.getByRole("button", { name: "Add a line" });
  for (let i = 0; i < 3; i += 1) await add.click();
  const lines = [
    { description: "Train", quantity: "3", price: "19.99", discount: "10" },
    { description: "Lunch", quantity: "1.5", price: "10" },
    // Zero first: the server refuses it at its cell.
    { description: "Pens", quantity: "0", price: "0.10" },
  ];
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    await page.getByLabel(`Description (line ${number})`).fill(line.description);
    await page.getByLabel(`Quantity (line ${number})`).fill(line.quantity);
    await page.getByLabel(`Unit price (line ${number})`).fill(line.price);
    if (line.discount) await page.getByLabel(`Discount % (line ${number})`).fill(line.discount);
  }
  // 53.97 + 15.00, and 0.00 for the third line until its quantity is fixed.
  await expect(page.getByRole("status", { name: "Total" })).toHaveText(/68\.97/);
  await page.getByRole("button", { name: "Create" }).click();
  const refusal = page.getByText("must be more than 0");
  await expect(refusal).toBeVisible();
  await expect(page.locator(".ant-form-item-has-error").getByLabel("Quantity (line 3)")).toBeVisible();

  await page.getByLabel("Quantity (line 3)").fill("2");
  await expect(page.getByRole("status", { name: "Total" })).toHaveText(/69\.17/);
  // Away from "Create", clicked before: a hovered button is drawn lighter than at rest.
  await page.mouse.move(0, 0);
  await checkAccessible(page, "the bill form with lines");
  await screenshot(page, "lines-form");
  await page.getByRole("button", { name: "Create" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Acme Supplies" })).toBeVisible();
  await settled(page);
  const table = page.getByRole("region", { name: "Lines" }).getByRole("table");
  const rows = table.locator("tbody tr.ant-table-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("Train");
  await expect(rows.nth(0)).toContainText("53.97");
  await expect(rows.nth(1)).toContainText("Lunch");
  await expect(rows.nth(2)).toContainText("Pens");
  await expect(rows.nth(2)).toContainText("0.20");
  const total = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Total", exact: true }) });
  await expect(total).toContainText("69.17");
  // Its PDF opens in a new tab, in the reader's language, with the session's cookie.
  const pdf = page.getByRole("link", { name: "PDF", exact: true });
  await expect(pdf).toHaveAttribute("target", "_blank");
  const href = await pdf.getAttribute("href");
  expect(href).toMatch(/\/api\/v1\/expenses\/bills\/[^/]+\/pdf\?lang=en$/);
  const printed = await page.request.get(href!);
  expect(printed.headers()["content-type"]).toBe("application/pdf");
  await checkAccessible(page, "the bill's page");
  await screenshot(page, "lines-detail");

  // The list says how many lines each bill has.
  await page.goto("/expenses/bills");
  await expect(page.getByRole("cell", { name: "3 lines" })).toBeVisible();
  // The browser logs the refused create (the 422 this test provoked) as a failed load; nothing
  // else may have gone wrong.
  const refused = /status of 422 .*\(http:\/\/[^)]+\/api\/v1\/expenses\/bills\)$/;
  expect(errors.filter((error) => refused.test(error))).toHaveLength(1);
  expect(errors.filter((error) => !refused.test(error))).toEqual([]);
});
