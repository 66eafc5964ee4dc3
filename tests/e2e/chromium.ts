/**
 * Finds and launches the system's Chromium (Debian's `chromium` package) through playwright-core.
 * Playwright's own browser downloads are not reachable from these machines, so we never use them.
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The path of a Chromium binary: $CHROMIUM_PATH, then `which chromium`, then the usual places. */
export function findChromium(): string | null {
  const fromEnv = Deno.env.get("CHROMIUM_PATH");
  if (fromEnv && isFile(fromEnv)) return fromEnv;
  try {
    const out = new Deno.Command("which", { args: ["chromium"], stdout: "piped", stderr: "null" })
      .outputSync();
    const path = new TextDecoder().decode(out.stdout).trim();
    if (out.success && path && isFile(path)) return path;
  } catch {
    // No `which` on this machine: fall through to the fixed paths.
  }
  return CANDIDATES.find(isFile) ?? null;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

export interface LaunchedChromium {
  /** The browser's one context, on a fresh profile. */
  context: BrowserContext;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Sent as Accept-Language and used for formatting; the UI is Japanese first. */
  locale?: string;
  viewport?: { width: number; height: number };
  /** false runs pages with JavaScript off (customer pages must work without it). */
  javaScriptEnabled?: boolean;
}

/**
 * Launches headless Chromium on a fresh temporary profile, with nothing talking to the network on
 * its own. Playwright refuses `--user-data-dir` in `args`, so the profile goes through
 * launchPersistentContext instead.
 */
export async function launchChromium(
  executablePath: string,
  options: LaunchOptions = {},
): Promise<LaunchedChromium> {
  const profile = await Deno.makeTempDir({ prefix: "madoguchi-chromium-" });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      timeout: 20_000,
      locale: options.locale ?? "ja-JP",
      viewport: options.viewport ?? { width: 1200, height: 800 },
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (e) {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    throw e;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Signs in through the login form and waits for the inbox. */
export async function signIn(page: Page, base: string, who: { email: string; password: string }) {
  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', who.email);
  await page.fill('input[name="password"]', who.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
}
