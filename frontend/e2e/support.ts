import { appendFileSync, mkdirSync } from "node:fs";

import AxeBuilder from "@axe-core/playwright";
import { expect, type BrowserContext, type Page } from "@playwright/test";

/** Where the journey's screenshots go (frontend/screenshots, relative to the config). */
export const SCREENSHOTS = "screenshots";

/** The runner's output directory (playwright.config.ts), emptied at the start of each run. */
const RESULTS = "test-results";
const CONSOLE_ERRORS = `${RESULTS}/console-errors.log`;

/** Serious and critical axe violations on the page as it is now: none is expected. */
export async function checkAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

/** A full-page PNG in frontend/screenshots/. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/**
 * Console errors and uncaught exceptions of every page of a browser context, labelled with
 * who saw them; the test asserts the list is empty at its end.
 */
export function collectErrors(context: BrowserContext, who: string, errors: string[]) {
  const seen = (error: string) => {
    errors.push(error);
    // Also to a file `make e2e` prints last when it fails: CI keeps only the log's tail.
    mkdirSync(RESULTS, { recursive: true });
    appendFileSync(CONSOLE_ERRORS, `${new Date().toISOString()} ${error}\n`);
  };
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") {
        const source = message.location().url;
        seen(`${who} console on ${page.url()}: ${message.text()}${source ? ` (${source})` : ""}`);
      }
    });
    page.on("pageerror", (error) => seen(`${who} pageerror on ${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
}

/** The page has drawn its data: no skeletons, no requests in flight. */
export async function settled(page: Page) {
  await expect(page.locator(".ant-skeleton")).toHaveCount(0);
  await page.waitForLoadState("networkidle");
}
