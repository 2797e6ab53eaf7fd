import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

import { checkAccessible, collectErrors, screenshot, settled } from "./support";

/**
 * The ERP journey, in real Chromium over real HTTP (the dev server runs the worker, so events
 * are handled): a company signs up and switches on CRM, accounting, inventory and sales; stocks
 * a tea whose name is Chinese (product and receipt through the API: inventory has no receipt
 * screen); in the CRM makes an account and a deal with a line selling the tea, and marks it
 * won — the sales module drafts a quotation for the account with that line. The owner confirms,
 * delivers and invoices it with its buttons, registers the customer's payment on the payments
 * form, finds the invoice and the payment on the account's timeline, and opens the invoice's PDF,
 * whose Chinese text (发票, the tea's name) is read back out of it. No console error; axe finds
 * nothing serious on any page.
 */

const PASSWORD = "correct horse battery staple";
const TEA = "西湖龙井茶";

/** A screenshot into the runner's output directory, numbered by step. */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/erp/${name}.png`, fullPage: true });
}

async function csrfOf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  const token = cookies.find((cookie) => cookie.name.toLowerCase().includes("csrf"))?.value;
  if (token) return token;
  const me = await page.request.get("/api/v1/me");
  return ((await me.json()) as { csrf_token: string }).csrf_token;
}

async function postJson<T>(request: APIRequestContext, csrf: string, url: string, data: unknown): Promise<T> {
  const response = await request.post(url, { data, headers: { "X-CSRF-Token": csrf } });
  expect(response.ok(), `${url}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** Picks an option of an Ant Design select by its text, typing to search first. */
async function choose(page: Page, label: string, text: string) {
  const select = page.getByRole("combobox", { name: label, exact: true });
  await select.click();
  // A reference searches as one types; an enum's short list does not.
  if (await select.isEditable()) await select.fill(text);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${text}"]`).first().click();
}

/** Every text item of every page of a PDF, joined. */
async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const parts: string[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const content = await (await pdf.getPage(number)).getTextContent();
    for (const item of content.items) if ("str" in item) parts.push(item.str);
  }
  return parts.join(" ");
}

test.use({ actionTimeout: 20_000, navigationTimeout: 30_000 });

test("a won deal becomes a quotation, an order, a delivery, an invoice and a payment", async ({ page }) => {
  test.setTimeout(300_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const slug = `erp-${run}`;
  const company = `Teahouse ${run}`;
  const accountName = `Lotus Hotel ${run}`;
  const dealName = `Spring tea ${run}`;
  const sku = `TEA-${run}`.toUpperCase();
  const errors: string[] = [];
  collectErrors(page.context(), "owner", errors);

  // 1. Sign up.
  await page.goto("/signup");
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel("Company address").fill(slug);
  await expect(page.getByText(`“${slug}” is free.`)).toBeVisible();
  await page.getByLabel("Your name").fill("Olive Owner");
  await page.getByLabel("Email").fill(`owner-${run}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByRole("button", { name: "Account menu of Olive Owner" })).toBeVisible();
  await shot(page, "01-signed-up");

  // 2. The four modules, switched on in the order their dependencies ask.
  await page.getByRole("menuitem", { name: "Modules" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Modules" })).toBeVisible();
  for (const label of ["CRM", "Accounting", "Inventory", "Sales & Purchasing"]) {
    const toggle = page.getByRole("switch", { name: `Switch ${label} on or off` });
    await toggle.click();
    await expect(page.getByText(`Switched on: ${label}`)).toBeVisible();
    await expect(toggle).toBeChecked();
  }
  await expect(page.getByRole("menuitem", { name: "Sales orders" })).toBeVisible();
  await settled(page);
  await checkAccessible(page, "modules");
  await shot(page, "02-modules");

  // 3. A product with stock: 50 tins received at cost 60.
  const csrf = await csrfOf(page);
  const uoms = (await (await page.request.get("/api/v1/inventory/uoms")).json()) as { id: string; name: string }[];
  const unit = uoms.find((u) => u.name === "Unit");
  expect(unit, "the seeded unit").toBeTruthy();
  const product = await postJson<{ id: string }>(page.request, csrf, "/api/v1/inventory/products", {
    sku,
    name: TEA,
    type: "stockable",
    uom_id: unit!.id,
    sale_price: "128.00",
    purchase_price: "60.00",
  });
  await postJson(page.request, csrf, "/api/v1/inventory/receipts", {
    lines: [{ product_id: product.id, quantity: "50", unit_cost: "60.00" }],
    reference: "Opening stock",
  });
  await page.goto(`/inventory/products/${product.id}`);
  await expect(page.getByRole("heading", { level: 1, name: TEA })).toBeVisible();
  await settled(page);
  await expect(page.getByRole("main")).toContainText("50");
  await checkAccessible(page, "the product");
  await shot(page, "03-product-in-stock");

  // 4. In the CRM: the account, then the deal with its line.
  await page.goto("/crm/accounts/new");
  await expect(page.getByRole("heading", { level: 1, name: "New Account" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(accountName);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: accountName })).toBeVisible();
  const accountUrl = page.url();

  await page.goto("/crm/deals/new");
  await expect(page.getByRole("heading", { level: 1, name: "New Deal" })).toBeVisible();
  await settled(page);
  await page.getByLabel("Name", { exact: true }).fill(dealName);
  await choose(page, "Account", accountName);
  await page.getByLabel("Currency", { exact: true }).fill("CNY");
  await page.getByRole("button", { name: "Add a line" }).click();
  await page.getByLabel("SKU (line 1)").fill(sku);
  await page.getByLabel("Description (line 1)").fill(TEA);
  await page.getByLabel("Quantity (line 1)").fill("10");
  await page.getByLabel("Unit price (line 1)").fill("128");
  await page.getByLabel("Discount % (line 1)").fill("5");
  // 10 × 128 less 5 %.
  await expect(page.getByRole("status", { name: "Total" })).toHaveText(/1,?216\.00/);
  await checkAccessible(page, "the deal form with lines");
  await shot(page, "04-deal-form");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: dealName })).toBeVisible();
  await settled(page);
  await expect(page.getByRole("region", { name: "Lines" })).toContainText(TEA);
  await expect(page.getByRole("main")).toContainText("1,216");

  // 5. Won: the worker drafts the quotation.
  await page.getByRole("button", { name: "Mark won" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "Mark won" }).click();
  await expect(page.getByText("Mark won: done")).toBeVisible();
  await expect(page.getByRole("main")).toContainText(/won/i);
  await shot(page, "05-deal-won");

  await page.getByRole("menuitem", { name: "Sales orders" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sales orders" })).toBeVisible();
  const quotation = page.getByRole("row", { name: new RegExp(accountName) });
  await expect(async () => {
    await page.reload();
    await expect(quotation).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await settled(page);
  await checkAccessible(page, "sales orders");
  await shot(page, "06-quotation-listed");

  // 6. Confirm, deliver, invoice: the order's buttons.
  await quotation.getByRole("link").first().click();
  await expect(page.getByRole("region", { name: "Lines" })).toContainText(TEA);
  await settled(page);
  await checkAccessible(page, "the quotation");
  await shot(page, "07-quotation");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.getByText("Confirm: done")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /^SO\// })).toBeVisible();
  await shot(page, "08-order-confirmed");

  await page.getByRole("button", { name: "Deliver all" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "Deliver all" }).click();
  await expect(page.getByText("Deliver all: done")).toBeVisible();
  await page.getByRole("button", { name: "Invoice delivered" }).click();
  await page.getByRole("tooltip").getByRole("button", { name: "Invoice delivered" }).click();
  await expect(page.getByText("Invoice delivered: done")).toBeVisible();
  await settled(page);
  await shot(page, "09-order-invoiced");

  // 7. The invoice, posted, for 1,216.00.
  await page.getByRole("menuitem", { name: "Invoices and bills" }).click();
  const invoiceRow = page.getByRole("row", { name: /INV\// });
  await expect(invoiceRow).toBeVisible();
  await expect(invoiceRow).toContainText("1,216.00");
  await invoiceRow.getByRole("link").first().click();
  const invoiceHeading = page.getByRole("heading", { level: 1, name: /^INV\// });
  await expect(invoiceHeading).toBeVisible();
  const invoiceNumber = (await invoiceHeading.textContent())!.trim();
  const invoiceId = page.url().split("/").pop()!;
  await settled(page);
  await expect(page.getByRole("region", { name: "Lines" })).toContainText(TEA);
  await checkAccessible(page, "the invoice");
  await shot(page, "10-invoice");

  // 8. The customer pays it: a payment allocated to the invoice.
  await page.getByRole("menuitem", { name: "Payments" }).click();
  await page.getByRole("button", { name: "New Payment" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New Payment" })).toBeVisible();
  await settled(page);
  await choose(page, "Direction", "Incoming");
  await choose(page, "Partner", accountName);
  await page.getByLabel("Amount", { exact: true }).fill("1216");
  await page.getByLabel("Currency", { exact: true }).fill("CNY");
  await page.getByRole("button", { name: "Add a line" }).click();
  await choose(page, "Invoice (line 1)", invoiceNumber);
  await page.getByLabel("Amount (line 1)").fill("1216");
  await checkAccessible(page, "the payment form");
  await shot(page, "11-payment-form");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^(BNK|PAY)/ })).toBeVisible();
  await settled(page);
  await shot(page, "12-payment");
  await page.goto(`/accounting/invoices/${invoiceId}`);
  await expect(page.getByRole("main")).toContainText(/paid/i);

  // 9. The account's timeline: the invoice and the payment.
  await page.goto(accountUrl);
  await expect(page.getByRole("heading", { level: 1, name: accountName })).toBeVisible();
  await page.getByRole("tab", { name: "Timeline" }).click();
  const timeline = page.getByRole("tabpanel", { name: "Timeline" });
  await expect(timeline).toContainText(invoiceNumber);
  await expect(timeline).toContainText(/payment/i);
  await settled(page);
  await checkAccessible(page, "the account's timeline");
  await shot(page, "13-account-timeline");

  // 10. The invoice's PDF: its button opens it; in Chinese, it reads 发票 and the tea's name.
  await page.goto(`/accounting/invoices/${invoiceId}`);
  await settled(page);
  const print = page.getByRole("link", { name: "Print" });
  await expect(print).toHaveAttribute("href", new RegExp(`/api/v1/accounting/invoices/${invoiceId}/pdf`));
  const [tab] = await Promise.all([page.context().waitForEvent("page"), print.click()]);
  await tab.close();
  const english = await page.request.get(`/api/v1/accounting/invoices/${invoiceId}/pdf?lang=en`);
  expect(english.headers()["content-type"]).toContain("application/pdf");
  expect(await pdfText(await english.body())).toContain(invoiceNumber);
  const chinese = await page.request.get(`/api/v1/accounting/invoices/${invoiceId}/pdf?lang=zh`);
  expect(chinese.headers()["content-type"]).toContain("application/pdf");
  const text = (await pdfText(await chinese.body())).replace(/\s+/g, "");
  expect(text).toContain("发票");
  expect(text).toContain(TEA);
  await shot(page, "14-invoice-with-print");

  expect(errors).toEqual([]);
  // The other specs' shared helper keeps its screenshots too.
  await screenshot(page, "erp-invoice");
});
