/** Admin: departments, their inquiry forms and confirmation mails (404 for everyone else). */
import { Hono } from "hono";
import {
  createDepartment,
  findDepartment,
  findDepartmentSettings,
  listAgentsForNotify,
  listDepartments,
  saveDepartmentSettings,
} from "../../db/departments.ts";
import { ConflictError } from "../../domain/errors.ts";
import {
  type DepartmentFormError,
  type DepartmentFormValues,
  departmentFormValues,
  parseDepartmentForm,
  toDepartmentSettings,
  validateNewDepartment,
} from "../../domain/department_form.ts";
import { renderPage } from "../render.tsx";
import { DepartmentEdit, DepartmentList } from "../../components/DepartmentForm.tsx";
import type { Translate } from "../../domain/i18n/mod.ts";
import { type AppEnv, type Ctx, nowOf } from "../state.ts";

function translate(t: Translate, errors: Record<string, DepartmentFormError>) {
  const out: Record<string, string> = {};
  for (const [key, e] of Object.entries(errors)) {
    out[key] = e.code === "unknownPlaceholder"
      ? t("departments.unknownPlaceholder", { names: e.names })
      : t(`departments.${e.code}`);
  }
  return out;
}

async function listPage(
  c: Ctx,
  values = { name: "", slug: "" },
  errors: Record<string, string> = {},
) {
  const t = c.get("t");
  const departments = await listDepartments(c.get("deps").store.db);
  return renderPage(
    c,
    t("departments.title"),
    <DepartmentList t={t} departments={departments} values={values} errors={errors} />,
    Object.keys(errors).length ? 422 : 200,
  );
}

async function editPage(
  c: Ctx,
  id: number,
  state: { values?: DepartmentFormValues; errors?: Record<string, string> } = {},
) {
  const t = c.get("t");
  const { db } = c.get("deps").store;
  const department = await findDepartment(db, id);
  if (!department) return c.notFound();
  const values = state.values ??
    departmentFormValues(department.name, await findDepartmentSettings(db, id));
  return renderPage(
    c,
    department.name,
    <DepartmentEdit
      t={t}
      department={department}
      values={values}
      agents={await listAgentsForNotify(db)}
      errors={state.errors ?? {}}
      saved={c.req.query("saved") === "1"}
    />,
    state.errors && Object.keys(state.errors).length ? 422 : 200,
  );
}

/** Routes under /admin/departments. */
export function departmentRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => listPage(c));

  app.post("/", async (c) => {
    const t = c.get("t");
    const form = await c.req.parseBody();
    const values = {
      name: String(form.name ?? "").trim(),
      slug: String(form.slug ?? "").trim().toLowerCase(),
    };
    const errors = validateNewDepartment(values.name, values.slug);
    if (Object.keys(errors).length) return listPage(c, values, translate(t, errors));
    try {
      const d = await c.get("deps").store.writeTx((tx) => createDepartment(tx, values, nowOf(c)));
      return c.redirect(`/admin/departments/${d.id}`, 303);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      return listPage(c, values, { slug: t("departments.slugTaken") });
    }
  });

  app.get("/:id{[0-9]{1,15}}", (c) => editPage(c, Number(c.req.param("id"))));

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    const { store } = c.get("deps");
    if (!Number.isSafeInteger(id) || !await findDepartment(store.db, id)) return c.notFound();
    const { values, errors } = parseDepartmentForm(await c.req.parseBody({ all: true }));
    if (Object.keys(errors).length) {
      return editPage(c, id, { values, errors: translate(c.get("t"), errors) });
    }
    const settings = toDepartmentSettings(values);
    await store.writeTx((tx) => saveDepartmentSettings(tx, id, values.name, settings, nowOf(c)));
    return c.redirect(`/admin/departments/${id}?saved=1`, 303);
  });

  return app;
}
