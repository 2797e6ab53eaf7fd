import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The admin console against a real server: an owner signs up, sets a few things up through
 * the API, then opens every admin page at desktop and phone width. Each page must draw its
 * heading without errors and pass axe with no serious or critical violation.
 */

const PASSWORD = "correct horse battery staple";
const PAGES = [
  ["/admin/modules", "Modules"],
  ["/admin/members", "Members"],
  ["/admin/roles", "Roles"],
  ["/admin/tokens", "API tokens"],
  ["/admin/webhooks", "Webhooks"],
  ["/admin/audit", "Audit log"],
  ["/admin/workflows", "Approval workflows"],
  ["/admin/dead-letters", "Failed deliveries"],
  ["/admin/recycle-bin", "Recycle bin"],
] as const;

async function signUp(request: APIRequestContext): Promise<{ csrf: string; slug: string }> {
  const slug = `acme-${Date.now().toString(36)}`;
  const response = await request.post("/api/v1/signup", {
    data: {
      company_name: "Acme",
      slug,
      name: "Olive Owner",
      email: `${slug}@example.com`,
      password: PASSWORD,
    },
  });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { csrf_token: string };
  return { csrf: body.csrf_token, slug };
}

async function seed(request: APIRequestContext, csrf: string) {
  const headers = { "X-CSRF-Token": csrf };
  for (const module of ["crm", "expenses"]) {
    await request.post(`/api/v1/modules/${module}/enable`, { headers, data: {} });
  }
  await request.post("/api/v1/roles", {
    headers,
    data: { name: "Auditors", grants: [{ permission: "audit.entry.read", scope: "all" }] },
  });
  await request.post("/api/v1/invitations", {
    headers,
    data: { email: "newcomer@example.com", role: "member" },
  });
  await request.post("/api/v1/tokens", { headers, data: { name: "CI deploys" } });
}

async function checkAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual(
    [],
  );
}

test.describe("admin console", () => {
  test.beforeEach(async ({ page }) => {
    const { csrf } = await signUp(page.request);
    await seed(page.request, csrf);
  });

  test("every page draws and is accessible, on desktop and phone", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, heading] of PAGES) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await expect(page.locator(".ant-skeleton")).toHaveCount(0);
        await page.waitForLoadState("networkidle");
        await checkAccessible(page);
        await page.screenshot({
          path: `test-results/admin${path.replaceAll("/", "-")}-${width}.png`,
          fullPage: true,
        });
      }
    }
    expect(errors).toEqual([]);
  });

  test("a module with a dependency is switched on with it, and purging asks for the slug", async ({
    page,
  }) => {
    await page.goto("/admin/modules");
    await page.getByRole("switch", { name: "Switch Pins on or off" }).click();
    await expect(page.getByText("Pins needs Notes, which are switched off.")).toBeVisible();
    await page.getByRole("button", { name: "Switch all on" }).click();
    await expect(page.getByText("Switched on: Notes, Pins")).toBeVisible();

    // Notes is needed by Pins now: switching it off is explained, not attempted.
    await page.getByRole("switch", { name: "Switch Notes on or off" }).click();
    await expect(
      page.getByText("Pins need Notes. Switch them off first, then Notes."),
    ).toBeVisible();
    await page.getByRole("button", { name: "OK" }).click();

    // Off, then its data purged: only once the company's short name is typed.
    await page.getByRole("switch", { name: "Switch Pins on or off" }).click();
    await page.getByRole("button", { name: "Switch off" }).click();
    await expect(page.getByText("Pins is switched off. Its data is kept.")).toBeVisible();
    await page.getByRole("button", { name: "Delete data" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete all data of Pins?" });
    const confirm = dialog.getByRole("button", { name: "Delete data" });
    await expect(confirm).toBeDisabled();
    const me = (await (await page.request.get("/api/v1/me")).json()) as {
      tenant: { slug: string };
    };
    await dialog.getByLabel(/type the company's short name/).fill(me.tenant.slug);
    await confirm.click();
    await expect(page.getByRole("dialog", { name: "The data of Pins is deleted" })).toBeVisible();
  });

  test("the audit log filters by action and shows a record's history", async ({ page }) => {
    await page.goto("/admin/audit");
    await page.getByLabel("Action").fill("module_enabled");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=module_enabled/);
    const rows = page.locator(".ant-table-tbody tr.ant-table-row");
    await expect(rows).toHaveCount(2);
    await page.getByRole("button", { name: /Show the history of module crm/ }).click();
    await expect(page.getByRole("dialog", { name: "History of module crm" })).toBeVisible();
  });
});

test.describe("admin editors", () => {
  test.beforeEach(async ({ page }) => {
    const { csrf } = await signUp(page.request);
    await seed(page.request, csrf);
  });

  test("a custom role is made by ticking the permission matrix", async ({ page }) => {
    await page.goto("/admin/roles");
    await page.getByRole("button", { name: "New custom role" }).first().click();
    const drawer = page.getByRole("dialog", { name: "New custom role" });
    await drawer.getByLabel("Name").fill("Deal desk");
    await drawer.getByRole("checkbox", { name: "crm.deal.read: Team" }).check();
    await drawer.getByRole("checkbox", { name: "audit.entry.read: All" }).check();
    await page.screenshot({ path: "test-results/admin-role-editor.png" });
    await drawer.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Role saved")).toBeVisible();

    const roles = (await (await page.request.get("/api/v1/roles")).json()) as {
      custom: { name: string; grants: { permission: string; scope: string }[] }[];
    };
    const made = roles.custom.find((r) => r.name === "Deal desk");
    expect(made?.grants).toEqual([
      { permission: "audit.entry.read", scope: "all" },
      { permission: "crm.deal.read", scope: "team" },
    ]);
  });

  test("the workflow editor shows the server's refusal at the step's field", async ({ page }) => {
    await page.goto("/admin/workflows");
    const row = page.getByRole("row", { name: /Claim approval/ });
    await row.getByRole("button", { name: "Edit" }).click();
    const drawer = page.getByRole("dialog", { name: /Claim approval/ });
    const condition = drawer.getByLabel("Only when").nth(1);
    await condition.fill("amout > 5");
    await drawer.getByRole("button", { name: "Save" }).click();
    await expect(drawer.getByRole("alert")).toContainText("Some fields need fixing");
    await expect(drawer.getByText(/amout/).last()).toBeVisible();
    await page.screenshot({ path: "test-results/admin-workflow-editor.png" });

    await condition.fill("amount > 5000");
    await drawer.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Workflow saved")).toBeVisible();
    await expect(page.getByRole("row", { name: /Claim approval/ })).toContainText("v2");
  });
});

test.describe("admin exports and languages", () => {
  test.beforeEach(async ({ page }) => {
    const { csrf } = await signUp(page.request);
    await seed(page.request, csrf);
  });

  test("the audit log exports the filtered entries as CSV", async ({ page }) => {
    await page.goto("/admin/audit?action=module_enabled");
    await expect(page.locator(".ant-table-tbody tr.ant-table-row")).toHaveCount(2);
    await page.getByRole("button", { name: "Export" }).hover();
    const download = page.waitForEvent("download");
    await page.getByRole("menuitem", { name: "CSV (spreadsheets)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("audit.csv");
    const text = await (await file.createReadStream()).toArray();
    const lines = Buffer.concat(text).toString().trim().split(/\r?\n/);
    expect(lines[0]).toContain("seq,occurred_at,actor_kind");
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes("module_enabled"))).toBe(true);
  });

  test("the pages read in Chinese", async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem("tessera.language", "zh"));
    await page.goto("/admin/modules");
    await expect(page.getByRole("heading", { level: 1, name: "模块" })).toBeVisible();
    await page.goto("/admin/roles");
    await expect(page.getByRole("heading", { level: 1, name: "角色" })).toBeVisible();
    await expect(page.getByText("所有者")).toBeVisible();
    await page.screenshot({ path: "test-results/admin-roles-zh.png", fullPage: true });
  });
});

test.describe("importing", () => {
  test("accounts come in from a CSV file: checked first, then all rows, then listed", async ({ page }) => {
    const { csrf } = await signUp(page.request);
    await seed(page.request, csrf);
    await page.goto("/crm/accounts");
    await page.getByRole("button", { name: /Import$/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("input[type=file]").setInputFiles({
      name: "accounts.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Name,Industry,Notes\nGlobex,Energy,\nInitech,Software,TPS reports\n"),
    });
    await expect(dialog.getByText("The file is fine: 2 records will be created.")).toBeVisible();
    await checkAccessible(page);
    await dialog.getByRole("button", { name: "Import 2 records" }).click();
    await expect(dialog.getByText("2 records imported")).toBeVisible();
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("link", { name: "Globex" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Initech" })).toBeVisible();
  });
});
