/**
 * The capture screen's page grid as the WebDriver tests read it (shared by counter.e2e.mjs and
 * flow.e2e.mjs): the page ids in grid order, and a wait until the grid holds a given number of pages.
 */

/** The page ids shown in the capture grid, in order. */
export function pageIds(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="page-grid"] [data-testid="page"]')].map((p) => Number(p.dataset.pageId)),
  );
}

/** Waits until the grid shows `count` pages; `wait` is the WebdriverIO wait options (timeout, interval). */
export async function waitPages(browser, count, wait) {
  await browser.waitUntil(async () => (await pageIds(browser)).length === count, {
    ...wait,
    timeoutMsg: `expected ${count} pages in the grid`,
  });
}
