/** axe-core in a page: its serious and critical WCAG 2 A/AA violations, one line each. */
import type { Page } from "playwright-core";

const AXE = new URL("../../node_modules/axe-core/axe.min.js", import.meta.url);
let source: string | undefined;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe on the page as it is; `label` names the page in each line. */
export async function axeProblems(page: Page, label: string): Promise<string[]> {
  source ??= await Deno.readTextFile(AXE);
  // Through DevTools, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(source);
  const result = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
    })
  ) as AxeResult;
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) =>
      `${label}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
    );
}
