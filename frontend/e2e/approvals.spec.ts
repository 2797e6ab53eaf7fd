import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";

import { checkAccessible, collectErrors, screenshot, settled } from "./support";

/**
 * A full approval run in real Chromium. The owner signs up, switches the office module on and
 * invites five people; the set-up a tenant admin does once (reporting line, a finance role,
 * leave allocation, an expense category, the two workflows) goes through the API to keep the
 * run short. Then, all in the browser: an employee asks for leave and submits an expense claim
 * (with its Submit button); the leave goes to the manager, then to two named people who must
 * both sign; the claim to anyone holding the finance role. Each approver decides in "My
 * approvals". The employee sees both records approved, is told so by the bell, and finds both
 * approved under "My requests" in the approval centre; the owner
 * finds the approvals' turnaround on the office's reports dashboard.
 */

const PASSWORD = "correct horse battery staple";
const MEMBER_PASSWORD = "violet kettle under moonlight";

interface DevMail {
  to: string;
  body: string;
}

interface Person {
  name: string;
  email: string;
  userId: string;
  membershipId: string;
  page: Page;
}

test.use({ actionTimeout: 20_000, navigationTimeout: 30_000 });

/** The owner's API calls, with the session's CSRF token. */
function writer(request: APIRequestContext, csrf: string) {
  const headers = { "X-CSRF-Token": csrf };
  async function call<T>(method: "post" | "put" | "patch", path: string, data: unknown = {}): Promise<T> {
    const response = await request[method](path, { headers, data });
    expect(response.ok(), `${method.toUpperCase()} ${path}: ${await response.text()}`).toBe(true);
    return (await response.json().catch(() => null)) as T;
  }
  async function get<T>(path: string): Promise<T> {
    const response = await request.get(path);
    expect(response.ok(), `GET ${path}`).toBe(true);
    return (await response.json()) as T;
  }
  return { call, get };
}

async function invitationLink(request: APIRequestContext, email: string): Promise<string> {
  let token = "";
  await expect
    .poll(
      async () => {
        const mail = (await (await request.get("/api/v1/dev/mail")).json()) as DevMail[];
        token = mail.find((m) => m.to === email)?.body.match(/\/invitations\/accept\?token=([^\s"<>&]+)/)?.[1] ?? "";
        return token;
      },
      { message: `an invitation mail to ${email}`, timeout: 20_000 },
    )
    .not.toBe("");
  return decodeURIComponent(token);
}

/** Someone invited by the owner who joins from the mailed link, in a browser of their own. */
async function joins(
  browser: Browser,
  owner: ReturnType<typeof writer>,
  ownerRequest: APIRequestContext,
  name: string,
  email: string,
  errors: string[],
): Promise<Person> {
  await owner.call("post", "/api/v1/invitations", { email, role: "member" });
  const token = await invitationLink(ownerRequest, email);
  const context = await browser.newContext();
  collectErrors(context, name, errors);
  const accepted = await context.request.post("/api/v1/invitations/accept", {
    data: { token, name, password: MEMBER_PASSWORD },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  const body = (await accepted.json()) as { user: { id: string } };
  const members = await owner.get<{ items: { id: string; user_id: string }[] }>("/api/v1/members?limit=200");
  const membershipId = members.items.find((m) => m.user_id === body.user.id)!.id;
  return { name, email, userId: body.user.id, membershipId, page: await context.newPage() };
}

/** The first Monday of March next year, and the Wednesday after: three working days. */
function leaveDates(): { year: number; from: string; to: string } {
  const year = new Date().getFullYear() + 1;
  const day = new Date(Date.UTC(year, 2, 1));
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  const from = day.toISOString().slice(0, 10);
  day.setUTCDate(day.getUTCDate() + 2);
  return { year, from, to: day.toISOString().slice(0, 10) };
}

/** Picks a date in an Ant Design date picker by typing it; leaving the field keeps it (Enter
 * would submit the form). */
async function pickDate(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press("Tab");
  await expect(page.locator(".ant-picker-dropdown:visible")).toHaveCount(0);
  await expect(input).toHaveValue(value);
}

/** Chooses ``option`` in the Ant Design select (or record picker) labelled ``label``. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click();
  // The role="option" nodes are the hidden accessible copies; the visible item takes the click.
  await page.locator(`.ant-select-dropdown .ant-select-item-option[title="${option}"]`).click();
}

/** Approves the request about ``title`` from "My approvals". */
async function approve(person: Person, title: string) {
  const { page } = person;
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { level: 1, name: "My approvals" })).toBeVisible();
  const card = page.getByRole("article", { name: new RegExp(title) });
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Approve" }).click();
  await page.locator(".ant-popover").getByRole("button", { name: "Approve" }).click();
  // Decided: the request leaves the inbox.
  await expect(card).toHaveCount(0);
}

/** The record's page, reloaded until its status reads ``status`` (the outcome arrives from
 * the worker, a moment after the last approval). */
async function expectStatus(page: Page, url: string, status: string) {
  await expect(async () => {
    await page.goto(url);
    await expect(page.locator(".ant-descriptions").getByText(status, { exact: true })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
}

test("a leave request and an expense claim approved step by step, seen by the employee", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const errors: string[] = [];
  collectErrors(page.context(), "owner", errors);

  // The owner signs up and switches the office module on.
  const signedUp = await page.request.post("/api/v1/signup", {
    data: {
      company_name: `Approvals ${run}`,
      slug: `approvals-${run}`,
      name: "Olive Owner",
      email: `owner-${run}@example.com`,
      password: PASSWORD,
    },
  });
  expect(signedUp.status(), await signedUp.text()).toBe(201);
  const owner = writer(page.request, ((await signedUp.json()) as { csrf_token: string }).csrf_token);
  await owner.call("post", "/api/v1/modules/oa/enable");

  const join = (name: string, who: string) => joins(browser, owner, page.request, name, `${who}-${run}@example.com`, errors);
  const employee = await join("Emma Employee", "emma");
  const manager = await join("Mark Manager", "mark");
  const second = await join("Nina Second", "nina");
  const finance = await join("Fred Finance", "fred");
  const finance2 = await join("Fay Finance", "fay");

  // What an admin sets up once: the reporting line, a finance role, leave days, a category …
  await owner.call("patch", `/api/v1/members/${employee.membershipId}`, { manager_id: manager.membershipId });
  const role = await owner.call<{ id: string }>("post", "/api/v1/roles", {
    name: `Finance ${run}`,
    grants: [{ permission: "oa.expense.pay", scope: "all" }],
  });
  for (const person of [finance, finance2]) {
    await owner.call("put", `/api/v1/members/${person.membershipId}/roles`, { role_ids: [role.id] });
  }
  const dates = leaveDates();
  const types = await owner.get<{ items: { id: string; name: string }[] }>("/api/v1/oa/leave/types?limit=200");
  const annual = types.items.find((type) => type.name === "Annual leave")!;
  await owner.call("put", "/api/v1/oa/leave/allocations", {
    user_id: employee.userId,
    leave_type_id: annual.id,
    year: dates.year,
    entitled_days: "20",
  });
  await owner.call("post", "/api/v1/oa/expenses/categories", { name: "Travel" });
  // … and the two workflows, as new versions of the module's defaults.
  const definitions = await owner.get<{ items: { id: string; record_type: string }[] }>("/api/v1/workflow/definitions");
  async function workflow(recordType: string, name: string, steps: unknown[]) {
    const { id } = definitions.items.find((d) => d.record_type === recordType)!;
    const current = await owner.get<{ guarded_fields: string[] }>(`/api/v1/workflow/definitions/${id}`);
    await owner.call("put", `/api/v1/workflow/definitions/${id}`, { name, steps, guarded_fields: current.guarded_fields });
  }
  await workflow("oa.leave_request", "Leave: manager, then both signatures", [
    { name: "Manager", approvers: "manager", mode: "any" },
    { name: "Sign-off", approvers: "users", users: [second.userId, finance.userId], mode: "all" },
  ]);
  await workflow("oa.expense_claim", "Claims: finance", [{ name: "Finance", approvers: "role", role: role.id, mode: "any" }]);

  // The employee asks for leave, in the browser.
  const emma = employee.page;
  await emma.goto("/");
  await emma.getByRole("menuitem", { name: /(^|\s)Leave$/ }).click();
  await expect(emma.getByRole("heading", { level: 1, name: "Leave" })).toBeVisible();
  await emma.getByRole("button", { name: "New Leave request" }).first().click();
  await expect(emma.getByRole("heading", { level: 1, name: "New Leave request" })).toBeVisible();
  await settled(emma);
  await choose(emma, "Type", "Annual leave");
  await pickDate(emma, "From", dates.from);
  await pickDate(emma, "To", dates.to);
  await emma.getByLabel("Reason").fill("Family visit");
  await emma.getByRole("button", { name: "Create" }).click();
  await expect(emma).toHaveURL(/\/oa\/leave\/[0-9a-f-]{36}$/);
  const leaveUrl = new URL(emma.url()).pathname;
  await expect(emma.locator(".ant-descriptions").getByText("Pending", { exact: true })).toBeVisible();

  // … and makes an expense claim with one line, then submits it with its Submit button.
  const claimTitle = `Taxi to the airport ${run}`;
  await emma.getByRole("menuitem", { name: "Expense claims" }).click();
  await emma.getByRole("button", { name: "New Expense claim" }).first().click();
  await expect(emma.getByRole("heading", { level: 1, name: "New Expense claim" })).toBeVisible();
  await settled(emma);
  await emma.getByLabel("Title").fill(claimTitle);
  await emma.getByRole("button", { name: "Create" }).click();
  await expect(emma.getByRole("heading", { level: 1, name: claimTitle })).toBeVisible();
  const claimUrl = new URL(emma.url()).pathname;
  await emma.getByRole("link", { name: "New Expense line" }).click();
  await expect(emma.getByRole("heading", { level: 1, name: "New Expense line" })).toBeVisible();
  await settled(emma);
  await choose(emma, "Category", "Travel");
  await pickDate(emma, "Date", new Date().toISOString().slice(0, 10));
  await emma.getByLabel("Amount").fill("42.50");
  await emma.getByLabel("Currency").fill("CNY");
  await emma.getByLabel("Description").fill("Taxi");
  await emma.getByRole("button", { name: "Create" }).click();
  await expect(emma.getByText("Taxi was created")).toBeVisible();
  await expect(emma).toHaveURL(/\/oa\/expenses\/lines\/[0-9a-f-]{36}$/);
  await emma.goto(claimUrl);
  await expect(emma.locator(".ant-descriptions").getByText("Draft", { exact: true })).toBeVisible();
  await emma.getByRole("button", { name: "Submit", exact: true }).click();
  await expect(emma.getByText("Submit: done")).toBeVisible();
  await expect(emma.locator(".ant-descriptions").getByText("Submitted", { exact: true })).toBeVisible();
  await expect(emma.getByRole("button", { name: "Withdraw" })).toBeVisible();

  // The manager approves the leave; then both named people sign it off.
  const leaveTitle = dates.from;
  await approve(manager, leaveTitle);
  await approve(second, leaveTitle);

  // Finance sees both requests waiting in "My approvals".
  const fred = finance.page;
  await fred.goto("/approvals");
  await expect(fred.getByRole("heading", { level: 1, name: "My approvals" })).toBeVisible();
  await expect(fred.getByRole("article", { name: new RegExp(leaveTitle) })).toBeVisible();
  await expect(fred.getByRole("article", { name: new RegExp(claimTitle) })).toBeVisible();
  await settled(fred);
  await checkAccessible(fred, "approvals");
  await screenshot(fred, "approvals-inbox");
  await approve(finance, claimTitle);
  await approve(finance, leaveTitle);
  // Anyone of the finance role decides once: the other holder has nothing left to do.
  await finance2.page.goto("/approvals");
  await expect(finance2.page.getByText("Nothing is waiting for your approval.")).toBeVisible();

  // The employee sees both approved …
  await expectStatus(emma, leaveUrl, "Approved");
  await expect(emma.getByRole("button", { name: "Cancel leave" })).toBeVisible();
  await settled(emma);
  await screenshot(emma, "leave-approved");
  await expectStatus(emma, claimUrl, "Approved");
  await expect(emma.getByRole("button", { name: "Withdraw" })).toHaveCount(0);
  await settled(emma);
  await screenshot(emma, "expense-approved");

  // … and is told by the bell; the notification opens the record.
  const bell = emma.getByRole("button", { name: /^Notifications, \d+ unread$/ });
  await expect(async () => {
    await emma.reload();
    await expect(emma.getByRole("button", { name: /^Notifications, [1-9]\d* unread$/ })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await bell.click();
  const panel = emma.getByRole("region", { name: "Notifications" });
  const told = panel.getByRole("link", { name: "Your Expense claim was approved" });
  await expect(told).toBeVisible();
  await expect(panel.getByRole("link", { name: `Your leave from ${dates.from} to ${dates.to} was approved` })).toBeVisible();
  await settled(emma);
  await screenshot(emma, "notification");
  await told.click();
  await expect(emma).toHaveURL(new RegExp(`${claimUrl}$`));
  await expect(emma.getByRole("heading", { level: 1, name: claimTitle })).toBeVisible();

  // … finds both approved among "My requests" in the approval centre, and opens one in full.
  await emma.goto("/approvals");
  await emma.getByRole("tab", { name: "My requests" }).click();
  await expect(emma).toHaveURL(/\/approvals\?tab=requests$/);
  const requests = emma.getByRole("region", { name: "My requests" });
  // Listed by their record types' labels (these types name no title field).
  for (const label of ["Leave request", "Expense claim"]) {
    const row = requests.locator(".approval-row").filter({ hasText: label });
    await expect(row.getByText("Approved", { exact: true })).toBeVisible();
    await expect(row.getByRole("button", { name: /^Withdraw/ })).toHaveCount(0);
  }
  await settled(emma);
  await checkAccessible(emma, "my requests");
  await screenshot(emma, "approvals-my-requests");
  await requests.locator(".approval-row").filter({ hasText: "Expense claim" }).locator(".approval-open").click();
  const drawer = emma.getByRole("dialog");
  await expect(drawer.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(drawer.getByText("Finance", { exact: true })).toBeVisible();
  await settled(emma);
  await checkAccessible(emma, "one approval in full");
  await screenshot(emma, "approval-detail");

  // The owner reads how long the approvals took on the office's reports dashboard.
  await page.goto("/oa/reports");
  await expect(page.getByRole("heading", { level: 1, name: "Office reports" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Approval turnaround (hours)" })).toBeVisible();
  // What its chart plots (a quick run's hours round to nothing, which the card shows as "no
  // data"): every step of both record types, with the tasks decided in each.
  const figures = (await (await page.request.get("/api/v1/oa/reports/approval-turnaround")).json()) as {
    steps: { label: string; step_name: string; decided: number }[];
  };
  expect(figures.steps.map((step) => [step.label, step.step_name, step.decided])).toEqual([
    ["Expense claim", "Finance", 1],
    ["Leave request", "Manager", 1],
    ["Leave request", "Sign-off", 2],
  ]);
  await expect(page.getByRole("region", { name: "Leave taken per type" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Leave taken per department" })).toBeVisible();
  await settled(page);
  await checkAccessible(page, "office reports");

  for (const person of [employee, manager, second, finance, finance2]) await person.page.context().close();
  expect(errors).toEqual([]);
});
