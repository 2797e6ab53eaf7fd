import { expect, test, type Page } from "@playwright/test";

import { checkAccessible, collectErrors, screenshot, settled } from "./support";

/**
 * One company's first day, through the UI in real Chromium: the owner signs up, switches the
 * CRM on, invites a colleague who joins from the emailed link (read from the dev mailbox, the
 * only step not done in the browser), gives them a custom role; the colleague makes a deal,
 * changes it and moves it on the board; the owner finds all of it in the audit log and reads
 * the app in Chinese. No console error in either browser; axe finds nothing serious.
 */

const PASSWORD = "correct horse battery staple";
const MEMBER_PASSWORD = "violet kettle under moonlight";

interface DevMail {
  to: string;
  subject: string;
  body: string;
}

async function invitationLink(page: Page, email: string): Promise<string> {
  let link = "";
  await expect
    .poll(
      async () => {
        const response = await page.request.get("/api/v1/dev/mail");
        const mail = (await response.json()) as DevMail[];
        const found = mail.find((m) => m.to === email)?.body.match(/\/invitations\/accept\?token=[^\s"<>]+/);
        link = found?.[0] ?? "";
        return link;
      },
      { message: `an invitation mail to ${email}`, timeout: 20_000 },
    )
    .not.toBe("");
  return link;
}

test.use({ actionTimeout: 20_000, navigationTimeout: 30_000 });

test("a company's first day, from sign-up to the audit log", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const slug = `journey-${run}`;
  const ownerEmail = `owner-${run}@example.com`;
  const memberEmail = `mia-${run}@example.com`;
  const roleName = `Deal desk ${run}`;
  const dealName = `Harbour cranes ${run}`;
  const errors: string[] = [];
  collectErrors(page.context(), "owner", errors);

  // 1. Sign up.
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your company" })).toBeVisible();
  await page.getByLabel("Company name").fill(`Journey ${run}`);
  await page.getByLabel("Company address").fill(slug);
  await expect(page.getByText(`“${slug}” is free.`)).toBeVisible();
  await page.getByLabel("Your name").fill("Olive Owner");
  await page.getByLabel("Email").fill(ownerEmail);
  await page.getByLabel("Password").fill(PASSWORD);
  await checkAccessible(page, "sign-up");
  await screenshot(page, "signup");
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: "Account menu of Olive Owner" })).toBeVisible();

  // 2. Switch the CRM on.
  await page.getByRole("menuitem", { name: "Modules" }).click();
  await expect(page).toHaveURL(/\/admin\/modules$/);
  await expect(page.getByRole("heading", { level: 1, name: "Modules" })).toBeVisible();
  const crmSwitch = page.getByRole("switch", { name: "Switch CRM on or off" });
  await expect(crmSwitch).not.toBeChecked();
  await crmSwitch.click();
  await expect(page.getByText("Switched on: CRM")).toBeVisible();
  await expect(crmSwitch).toBeChecked();
  await expect(page.getByRole("menuitem", { name: "Deals" })).toBeVisible();
  await settled(page);
  await checkAccessible(page, "admin modules");
  await screenshot(page, "admin-modules");

  // 3. Invite a member.
  await page.getByRole("menuitem", { name: "Members" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await settled(page);
  await checkAccessible(page, "members");
  await page.getByRole("tab", { name: "Invitations" }).click();
  const invitations = page.getByRole("tabpanel", { name: "Invitations" });
  await invitations.getByLabel("Email").fill(memberEmail);
  await invitations.getByRole("combobox", { name: "Role" }).click();
  // Ant Design's option list: the role="option" nodes are the hidden accessible copies.
  await page.locator('.ant-select-dropdown .ant-select-item-option[title="Member"]').click();
  await invitations.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${memberEmail}`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(memberEmail) })).toContainText("Waiting");
  await expect(page.getByRole("row", { name: new RegExp(memberEmail) })).toContainText("Member");

  // 4. The member joins from the emailed link, in a browser of their own.
  const link = await invitationLink(page, memberEmail);
  const memberContext = await browser.newContext();
  collectErrors(memberContext, "member", errors);
  const member = await memberContext.newPage();
  await member.goto(link);
  await expect(member.getByRole("heading", { name: "Join your team on Tessera" })).toBeVisible();
  await member.getByLabel("Your name").fill("Mia Member");
  await member.getByLabel("Choose a password").fill(MEMBER_PASSWORD);
  await member.getByRole("button", { name: "Create account and join" }).click();
  await expect(member).toHaveURL(/\/$/);
  const memberMenu = member.getByRole("button", { name: "Account menu of Mia Member" });
  await expect(memberMenu).toBeVisible();
  // Joining signs in at once: sign out and in again, to cover signing in too.
  await memberMenu.click();
  await member.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(member).toHaveURL(/\/login/);
  await member.getByLabel("Email").fill(memberEmail);
  await member.getByLabel("Password").fill(MEMBER_PASSWORD);
  await member.getByRole("button", { name: "Sign in" }).click();
  await expect(memberMenu).toBeVisible();

  // 5. A custom role for deals, given to the member.
  await page.getByRole("menuitem", { name: "Roles" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Roles" })).toBeVisible();
  await settled(page);
  await checkAccessible(page, "roles");
  await page.getByRole("button", { name: "New custom role" }).first().click();
  const editor = page.getByRole("dialog", { name: "New custom role" });
  await editor.getByLabel("Name").fill(roleName);
  for (const permission of ["crm.deal.read", "crm.deal.write", "crm.account.read"]) {
    await editor.getByRole("checkbox", { name: `${permission}: All` }).check();
  }
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Role saved")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(roleName) })).toContainText("3 permissions");

  await page.getByRole("menuitem", { name: "Members" }).click();
  // The members list is cached for 30 seconds (the app's query staleTime) and was read before
  // the member joined in the other browser: reload, as an admin would, to see them.
  await page.reload();
  const memberRow = page.getByRole("row", { name: /Mia Member/ });
  await expect(memberRow).toBeVisible();
  await memberRow.getByRole("button", { name: "Custom roles" }).click();
  const rolesDialog = page.getByRole("dialog", { name: "Custom roles of Mia Member" });
  await rolesDialog.getByRole("checkbox", { name: roleName }).check();
  await rolesDialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Custom roles saved")).toBeVisible();
  await expect(rolesDialog).toBeHidden();

  // 6. The member works with deals: list, new, edit, board.
  await member.reload();
  await member.getByRole("menuitem", { name: "Deals" }).click();
  await expect(member).toHaveURL(/\/crm\/deals$/);
  await expect(member.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();
  await settled(member);
  await checkAccessible(member, "deals list");
  await screenshot(member, "module-list");

  await member.getByRole("button", { name: "New Deal" }).first().click();
  await expect(member.getByRole("heading", { level: 1, name: "New Deal" })).toBeVisible();
  await settled(member);
  await checkAccessible(member, "deal form");
  await member.getByLabel("Name", { exact: true }).fill(dealName);
  await member.getByLabel("Amount").fill("12000");
  await member.getByLabel("Currency").fill("EUR");
  await member.getByRole("button", { name: "Create" }).click();
  await expect(member.getByText(`${dealName} was created`)).toBeVisible();
  await expect(member).toHaveURL(/\/crm\/deals\/[0-9a-f-]{36}$/);
  await expect(member.getByRole("heading", { level: 1, name: dealName })).toBeVisible();

  await member.getByRole("button", { name: "Edit" }).click();
  await expect(member.getByRole("heading", { level: 1, name: `Change ${dealName}` })).toBeVisible();
  await member.getByLabel("Amount").fill("15500");
  await member.getByRole("button", { name: "Save changes" }).click();
  await expect(member.getByText("Changes saved")).toBeVisible();
  await expect(member.getByRole("main")).toContainText("15,500");

  await member.getByRole("menuitem", { name: "Deals" }).click();
  // Ant Design's Segmented hides its radio inputs; the visible label takes the click.
  await member.getByRole("radiogroup", { name: "Show as" }).getByText("Board").click();
  await expect(member).toHaveURL(/\/crm\/deals\/board(\?|$)/);
  const columns = member.getByRole("list", { name: "Board columns" });
  const qualification = columns.getByRole("listitem", { name: "Qualification" });
  const proposal = columns.getByRole("listitem", { name: "Proposal" });
  await expect(qualification.getByRole("link", { name: dealName })).toBeVisible();
  await settled(member);
  await checkAccessible(member, "board");
  await member.getByRole("button", { name: `Move ${dealName} to another column` }).click();
  await member.getByRole("menuitem", { name: "Proposal" }).click();
  await expect(proposal.getByRole("link", { name: dealName })).toBeVisible();
  await settled(member);
  await member.reload();
  await expect(proposal.getByRole("link", { name: dealName })).toBeVisible();
  await expect(qualification.getByRole("link", { name: dealName })).toHaveCount(0);
  await settled(member);
  await screenshot(member, "kanban");

  // The start page, with the CRM's dashboard.
  await member.getByRole("menuitem", { name: "Home" }).click();
  // The start page is headed by the company's name, with the CRM's sales dashboard.
  await expect(member.getByRole("heading", { level: 1, name: `Journey ${run}` })).toBeVisible();
  await expect(member.getByRole("tab", { name: "Sales" })).toBeVisible();
  await settled(member);
  await checkAccessible(member, "dashboard");
  await screenshot(member, "dashboard");

  // 7. The owner finds every change in the audit log.
  await page.getByRole("menuitem", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await settled(page);
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  /** From the unfiltered log, applies one filter (by its label) with the form's button. */
  async function filterBy(label: "Record type" | "Action", value: string, param: string) {
    await page.goto("/admin/audit");
    await settled(page);
    const input = page.getByLabel(label);
    await input.fill(value);
    await expect(input).toHaveValue(value);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`${param}=${value}`));
    await settled(page);
  }
  async function clearFilters() {
    await page.getByRole("button", { name: "Clear filters" }).click();
    // The form follows the address: wait until it has, or it would wipe what is typed next.
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await settled(page);
  }
  await filterBy("Record type", "crm_deal", "type");
  // Created, changed (amount), moved (stage): newest first.
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(2)).toContainText("create");
  await expect(rows.nth(1)).toContainText("update");
  await expect(rows.nth(0)).toContainText("update");
  await expect(rows.first()).toContainText("Mia Member");

  await filterBy("Action", "module_enabled", "action");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("crm");
  await expect(rows.first()).toContainText("Olive Owner");

  await clearFilters();
  await expect(rows.filter({ hasText: "role" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "invitation" }).first()).toBeVisible();
  await checkAccessible(page, "audit log");
  await screenshot(page, "audit-log");

  // 8. Chinese, from the user menu, kept after a reload; the plugins' texts follow.
  await page.getByRole("button", { name: "Account menu of Olive Owner" }).click();
  await page.getByRole("menuitem", { name: "简体中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "审计日志" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "商机" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "审计日志" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "首页" })).toBeVisible();

  await memberContext.close();
  expect(errors).toEqual([]);
});
