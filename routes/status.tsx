/**
 * /status: an inquiry number and access key (from the confirmation mail) open the customer's page
 * when the link is lost. Wrong keys are limited per client address and per inquiry number; after
 * STATUS_FAILURES_PER_NUMBER wrong keys a number is locked for the window, whoever asks. Each try
 * is counted before its key is checked and handed back when the key was right.
 */
import { Hono } from "hono";
import { createRateLimiter } from "./rate_limiter.ts";
import { checkAccessKey, openCustomerLink } from "../services/customer_access.ts";
import { CustomerMessage } from "../components/CustomerLayout.tsx";
import { renderCustomerPage } from "./render.tsx";
import { StatusForm } from "../components/StatusForm.tsx";
import { clientIp } from "./login_guard.ts";
import { type AppEnv, asCustomer, type Ctx } from "./state.ts";
import { orElse, text, v } from "../domain/validation.ts";

export const STATUS_WINDOW_MS = 15 * 60_000;
export const STATUS_FAILURES_PER_NUMBER = 5;
export const STATUS_FAILURES_PER_IP = 20;

/**
 * The status check as typed: the number with full-width digits folded and spaces or "#" dropped.
 * Nothing here is refused on its own: a number or key that cannot be right is simply wrong.
 */
const StatusCheck = v.object({
  number: v.pipe(
    orElse(text({ max: 40, nfkc: true }), ""),
    v.transform((s) => s.replace(/[\s#]/g, "")),
  ),
  key: orElse(text({ max: 100 }), ""),
});

function page(
  c: Ctx,
  values: { number?: string; error?: string } = {},
  status: 200 | 422 | 429 = 200,
) {
  const t = c.get("t");
  return renderCustomerPage(c, t("status.title"), <StatusForm t={t} {...values} />, {
    status,
    private: true,
  });
}

/** Routes under /status. */
export function statusRoutes() {
  const app = new Hono<AppEnv>();
  const byIp = createRateLimiter(STATUS_FAILURES_PER_IP, STATUS_WINDOW_MS);
  const byNumber = createRateLimiter(STATUS_FAILURES_PER_NUMBER, STATUS_WINDOW_MS);

  app.get("/", (c) => page(c));

  app.post("/", async (c) => {
    const t = c.get("t");
    const { store, now } = c.get("deps");
    const at = (now ?? Date.now)();
    const form = v.parse(StatusCheck, await c.req.parseBody());
    const typedNumber = form.number;
    const number = /^\d{1,12}$/.test(typedNumber) ? Number(typedNumber) : null;
    const ip = clientIp(c);
    const numberKey = String(number ?? "-");
    // Counted before the key is checked, so a burst of parallel guesses cannot outrun the count.
    const allowed = byIp.attempt(ip, at);
    if (!allowed || !byNumber.attempt(numberKey, at)) {
      if (allowed) byIp.refund(ip, at);
      return page(c, { number: typedNumber, error: t("status.limited") }, 429);
    }
    const result = await checkAccessKey(store.db, number, form.key, at);
    if (result.kind === "wrong") {
      return page(c, { number: typedNumber, error: t("status.wrong") }, 422);
    }
    // The key was right: this attempt was no guess.
    byIp.refund(ip, at);
    byNumber.refund(numberKey, at);
    if (result.kind === "closed") {
      return renderCustomerPage(
        c,
        t("status.title"),
        <CustomerMessage
          title={t("status.title")}
          text={t("status.closed")}
          link={{ href: "/inquiry", label: t("inquiry.toDefault") }}
        />,
        { status: 410, private: true },
      );
    }
    byNumber.reset(numberKey);
    const ticketId = result.ticketId;
    const token = await asCustomer(c, (ctx) => openCustomerLink(ctx, ticketId));
    return c.redirect(`/c/${token}`, 303);
  });

  return app;
}
