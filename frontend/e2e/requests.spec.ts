import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { checkAccessible, collectErrors, screenshot, settled } from "./support";

/**
 * Generic requests, designed and filled in the browser: the owner designs a form (a required
 * text, an amount, a choice) on OA's request form screens; a member picks it on Requests, is
 * told what is required, fills it in and creates the request. Submitting and deciding are done
 * through the API (the request's page has no action buttons on this branch); the member then
 * sees it approved. No console error; axe finds nothing serious.
 */

const PASSWORD = "correct horse battery staple";
const MEMBER_PASSWORD = "violet kettle under moonlight";

async function json<T>(response: { ok(): boolean; status(): number; text(): Promise<string>; json(): Promise<unknown> }): Promise<T> {
  expect(response.ok(), `${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** Signs up a company with OA on; its owner's session is the page's. */
async function company(request: APIRequestContext, run: string): Promise<string> {
  const signedUp = await json<{ csrf_token: string }>(
    await request.post("/api/v1/signup", {
      data: { company_name: `Requests ${run}`, slug: `requests-${run}`, name: "Olive Owner", email: `owner-${run}@example.com`, password: PASSWORD },
    }),
  );
  const headers = { "X-CSRF-Token": signedUp.csrf_token };
  await json(await request.post("/api/v1/modules/oa/enable", { headers, data: { with_dependencies: true } }));
  return signedUp.csrf_token;
}

/** Invites a member and accepts for them in their own browser context; their CSRF token. */
async function member(owner: APIRequestContext, ownerCsrf: string, theirs: APIRequestContext, email: string): Promise<string> {
  await json(await owner.post("/api/v1/invitations", { headers: { "X-CSRF-Token": ownerCsrf }, data: { email, role: "member" } }));
  let token = "";
  await expect
    .poll(async () => {
      const mail = await json<{ to: string; body: string }[]>(await owner.get("/api/v1/dev/mail"));
      token = mail.find((m) => m.to === email)?.body.match(/token=([^\s"<>&]+)/)?.[1] ?? "";
      return token;
    }, { message: `an invitation to ${email}` })
    .not.toBe("");
  const joined = await json<{ csrf_token: string }>(
    await theirs.post("/api/v1/invitations/accept", { data: { token: decodeURIComponent(token), password: MEMBER_PASSWORD, name: "Mia Member" } }),
  );
  return joined.csrf_token;
}

/** Picks ``option`` in the Ant Design select labelled ``label``. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

test.use({ actionTimeout: 20_000, navigationTimeout: 30_000 });

test("an admin designs a request form in the browser; a member fills it in and is approved", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const formName = `Purchase ${run}`;
  const errors: string[] = [];
  collectErrors(page.context(), "owner", errors);
  const ownerCsrf = await company(page.request, run);

  // 1. The owner designs the form: a required text, an amount and a choice.
  await page.goto("/oa/request-forms/new");
  await expect(page.getByRole("heading", { level: 1, name: "New Request form" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(formName);
  const add = page.getByRole("button", { name: "Add a field" });
  for (let i = 0; i < 3; i += 1) await add.click();
  await page.getByLabel("Key (Field 1)").fill("purpose");
  await page.getByLabel("Label (Field 1)").fill("Purpose");
  await page.getByRole("switch", { name: "Required (Field 1)" }).click();
  await page.getByLabel("Key (Field 2)").fill("cost");
  await page.getByLabel("Label (Field 2)").fill("Cost");
  await choose(page, "Type (Field 2)", "Amount");
  await page.getByLabel("Key (Field 3)").fill("kind");
  await page.getByLabel("Label (Field 3)").fill("Kind");
  await choose(page, "Type (Field 3)", "Choice");
  const options = page.getByRole("combobox", { name: "Options (Field 3)" });
  await options.fill("Hardware");
  await options.press("Enter");
  await options.fill("Software");
  await options.press("Enter");
  await page.getByLabel("Title field").fill("purpose");
  await checkAccessible(page, "the form editor");
  // From the top: a full-page picture of a scrolled page draws the sticky header mid-way.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, "request-form-editor");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByText(`${formName} was created`)).toBeVisible();
  const fields = page.getByRole("region", { name: "Fields" });
  await expect(fields.getByRole("row")).toHaveCount(4);
  await expect(fields.getByRole("row").nth(3)).toContainText("kindKindChoiceNoHardwareSoftware");
  await settled(page);
  await checkAccessible(page, "the form's page");

  // Its own workflow, through the form API (the screens leave steps to it): the owner decides.
  const formId = page.url().split("/").pop()!;
  const me = await json<{ user: { id: string } }>(await page.request.get("/api/v1/me"));
  await json(
    await page.request.patch(`/api/v1/oa/request-forms/${formId}`, {
      headers: { "X-CSRF-Token": ownerCsrf },
      data: { steps: [{ name: "Owner", approvers: "users", users: [me.user.id] }] },
    }),
  );

  // 2. A member opens Requests, picks the form, and sees its fields.
  const memberContext = await browser.newContext();
  collectErrors(memberContext, "member", errors);
  const memberCsrf = await member(page.request, ownerCsrf, memberContext.request, `mia-${run}@example.com`);
  const mia = await memberContext.newPage();
  await mia.goto("/");
  await mia.getByRole("menuitem", { name: "Requests" }).click();
  await expect(mia.getByRole("heading", { level: 1, name: "Requests" })).toBeVisible();
  await settled(mia);
  await checkAccessible(mia, "the requests list");
  await mia.getByRole("button", { name: "New Request" }).click();
  await expect(mia.getByText("Choose the Form first: its fields appear here.")).toBeVisible();
  await choose(mia, "Form", formName);
  await expect(mia.getByLabel("Purpose")).toBeVisible();
  await expect(mia.getByLabel("Cost")).toBeVisible();
  await expect(mia.getByRole("combobox", { name: "Kind" })).toBeVisible();

  // 3. Required fields are said so; filled in, the request is created.
  await mia.getByRole("button", { name: "Create" }).click();
  await expect(mia.getByText("Purpose is required")).toBeVisible();
  await mia.getByLabel("Purpose").fill("A laptop for the new designer");
  await mia.getByLabel("Cost").fill("1450.00");
  await choose(mia, "Kind", "Hardware");
  await checkAccessible(mia, "the filled request");
  await screenshot(mia, "request-filled");
  await mia.getByRole("button", { name: "Create" }).click();
  await expect(mia.getByRole("heading", { level: 1, name: "A laptop for the new designer" })).toBeVisible();
  const details = mia.getByRole("region", { name: "Details" });
  await expect(details).toContainText("Hardware");
  await expect(details).toContainText("1,450.00");
  // The record's own fields (the first list of descriptions; the approvals tab has its own).
  const record = mia.locator(".ant-descriptions").first();
  await expect(record.getByText("Draft", { exact: true })).toBeVisible();
  await settled(mia);
  await checkAccessible(mia, "the request's page");

  // 4. Submitted (through the API: no action button on this branch); the owner approves.
  const requestId = mia.url().split("/").pop()!;
  await json(
    await memberContext.request.post(`/api/v1/oa/requests/${requestId}/submit`, { headers: { "X-CSRF-Token": memberCsrf } }),
  );
  let taskId = "";
  await expect
    .poll(async () => {
      const inbox = await json<{ items: { record_id: string; task: { id: string } }[] }>(await page.request.get("/api/v1/workflow/inbox"));
      taskId = inbox.items.find((item) => item.record_id === requestId)?.task.id ?? "";
      return taskId;
    })
    .not.toBe("");
  await json(await page.request.post(`/api/v1/workflow/tasks/${taskId}/approve`, { headers: { "X-CSRF-Token": ownerCsrf }, data: {} }));

  // 5. The member sees it approved (the engine's event settles it in the background).
  await expect
    .poll(async () => (await json<{ status: string }>(await memberContext.request.get(`/api/v1/oa/requests/${requestId}`))).status)
    .toBe("approved");
  await mia.reload();
  await expect(record.getByText("Approved", { exact: true })).toBeVisible();
  await settled(mia);
  // Decided, the list says so too.
  await mia.getByRole("menuitem", { name: "Requests" }).click();
  await expect(mia).toHaveURL(/\/oa\/requests$/);
  await expect(mia.locator(".ant-table-row", { hasText: "A laptop for the new designer" })).toContainText("Approved");

  expect(errors).toEqual([]);
  await memberContext.close();
});
