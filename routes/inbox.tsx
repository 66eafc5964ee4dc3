/** The inbox: the workspace's navigation and list panes (routes/workspace.tsx), full width. */
import { Hono } from "hono";
import { type AppEnv, assertAgent } from "./state.ts";
import { getCookie, setCookie } from "hono/cookie";
import { onboardingState } from "../db/onboarding.ts";
import { Onboarding, onboardingPending } from "../components/Onboarding.tsx";
import { renderPage } from "./render.tsx";
import { listParamsOf, loadPanes, Workspace } from "./workspace.tsx";

/** Set when an administrator hides the getting-started list (a preference of this browser). */
const ONBOARDING_COOKIE = "madoguchi_onboarding";

/** Routes: GET / (the inbox). */
export function inboxRoutes() {
  const app = new Hono<AppEnv>();
  // Hiding the getting-started list is this browser's preference, not the desk's.
  app.post("/onboarding/hide", (c) => {
    setCookie(c, ONBOARDING_COOKIE, "hidden", {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: c.get("deps").config.secureCookies,
      maxAge: 365 * 24 * 3600,
    });
    return c.redirect("/", 303);
  });

  app.get("/", async (c) => {
    const { store, config } = c.get("deps");
    const panes = await loadPanes(c, listParamsOf(c, false));
    const onboarding = assertAgent(c).role === "admin" &&
        getCookie(c, ONBOARDING_COOKIE) !== "hidden"
      ? await onboardingState(store.db)
      : null;
    const banner = onboarding && onboardingPending(onboarding) && (
      <Onboarding
        t={c.get("t")}
        state={onboarding}
        address={config.supportAddress}
        smtpHost={new URL(config.publicUrl).hostname}
        smtpPort={config.smtpPort}
      />
    );
    return renderPage(c, c.get("t")("nav.inbox"), <Workspace panes={panes} banner={banner} />);
  });
  return app;
}
