import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** axe-core, run inside each page (offline: its source comes from node_modules). */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** One accessibility rule a page breaks, as axe-core reports it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Why the page does not fit a window `width` px wide, if it does not: the document scrolls
 * sideways, or the window itself is wider (a phone zooms out to fit a wide page, or lays
 * out a page without a viewport meta tag 980 px wide).
 */
export async function horizontalOverflow(page: Page, width: number): Promise<string[]> {
  const { scroll, inner } = await page.evaluate<{ scroll: number; inner: number }>(
    "({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })",
  );
  return [
    ...(inner === width ? [] : [`the window is ${String(inner)} px wide, not ${String(width)}`]),
    ...(scroll <= inner ? [] : [`the document is ${String(scroll)} px wide in a ${String(inner)} px window`]),
  ];
}

/** The serious and critical violations axe-core finds in the page, after injecting it. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: a <script> tag would be inline, which the
  // page's Content-Security-Policy blocks.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(`
    axe.run(document, { resultTypes: ["violations"] }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(" ")),
      })),
    )
  `);
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}
