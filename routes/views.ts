/** POST /views (save the current inbox view) and /views/:id/delete. */
import { Hono } from "hono";
import { removeView, saveView } from "../services/views.ts";
import { type AppEnv, asAgent } from "./state.ts";
import { intParam } from "./params.ts";

/** Routes under /views. */
export function viewRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const query = String(form.query ?? "");
    await asAgent(
      c,
      (ctx) => saveView(ctx, { name: String(form.name ?? ""), shared: form.shared === "1", query }),
    );
    return c.redirect(`/?${query}`, 303);
  });
  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    const id = intParam(c, "id")!;
    await asAgent(c, (ctx) => removeView(ctx, id));
    return c.redirect("/", 303);
  });
  return app;
}
