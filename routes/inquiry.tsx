/**
 * Public inquiry forms: /inquiry (the default department) and /inquiry/<slug>, and the thank-you
 * page /inquiry/thanks/<id>. Plain HTML forms (0 KB of JavaScript), validated on the server in the
 * visitor's language, keeping what they typed; a one-time token makes a double or replayed post
 * create one ticket; a honeypot and a per-address limit keep bots out.
 */
import { Hono } from "hono";
import { type Department, findDefaultDepartment, findDepartmentBySlug } from "../db/departments.ts";
import { findDepartmentSettings } from "../db/departments.ts";
import { findReceipt } from "../db/customer_access.ts";
import {
  acceptsFiles,
  inquiryCategory,
  inquirySchema,
  inquirySubject,
  inquiryText,
  type InquiryValues,
} from "../domain/inquiry_form.ts";
import { checkInput } from "../domain/validation.ts";
import { type FormTokenCheck, issueFormToken, verifyFormToken } from "../domain/form_token.ts";
import { createRateLimiter } from "./rate_limiter.ts";
import { hashSecret } from "../domain/tokens.ts";
import { submitInquiry } from "../services/inquiries.ts";
import { CustomerMessage } from "../components/CustomerLayout.tsx";
import { renderCustomerPage } from "./render.tsx";
import { HONEYPOT_FIELD, InquiryForm } from "../components/InquiryForm.tsx";
import { ThanksPage } from "../components/ThanksPage.tsx";
import {
  describeFiles,
  formKey,
  readFormBody,
  toAttachments,
  uploadLimit,
} from "./customer_form.tsx";
import { clientIp } from "./login_guard.ts";
import { articlesForSubject } from "../services/faq.ts";
import { type AppEnv, asCustomer, type Ctx, nowOf } from "./state.ts";

/** Posts (valid or not) one address may make per hour. */
export const INQUIRY_POSTS_PER_HOUR = 30;
/** How long a thank-you page can be shown. */
export const RECEIPT_TTL_MS = 7 * 24 * 3600_000;

const purpose = (d: Department) => `inquiry:${d.id}`;

interface FormState {
  /** What the visitor typed, shown again. */
  values?: Partial<InquiryValues>;
  /** Problems by field, already in the visitor's language. */
  errors?: Record<string, string>;
  notice?: string;
  status?: 200 | 422 | 429;
}

async function showForm(c: Ctx, dept: Department, state: FormState = {}) {
  const t = c.get("t");
  const { store, now } = c.get("deps");
  const settings = await findDepartmentSettings(store.db, dept.id);
  const token = await issueFormToken(await formKey(c), purpose(dept), (now ?? Date.now)());
  const title = `${t("inquiry.title")}: ${dept.name}`;
  // The subject as typed (a re-shown form) or as a company site's link gives it (?subject=).
  const subject = state.values?.subject ?? c.req.query("subject")?.slice(0, 200) ?? "";
  const values = state.values ?? (subject ? { subject } : {});
  const faq = { subject, articles: await articlesForSubject(store.db, subject, 3) };
  return renderCustomerPage(
    c,
    title,
    <InquiryForm
      t={t}
      lang={c.get("locale")}
      title={title}
      action={`/inquiry/${dept.slug}`}
      fields={settings.form}
      values={values}
      errors={state.errors ?? {}}
      notice={state.notice}
      formToken={token}
      faq={faq}
    />,
    { status: state.status ?? 200 },
  );
}

function unknownDepartment(c: Ctx) {
  const t = c.get("t");
  return renderCustomerPage(
    c,
    t("portal.linkUnknown"),
    <CustomerMessage
      title={t("portal.linkUnknown")}
      text={t("inquiry.unknownDepartment")}
      link={{ href: "/inquiry", label: t("inquiry.toDefault") }}
    />,
    { status: 404 },
  );
}

function limited(c: Ctx) {
  const t = c.get("t");
  return renderCustomerPage(
    c,
    t("inquiry.limited"),
    <CustomerMessage title={t("inquiry.title")} text={t("inquiry.limited")} />,
    { status: 429 },
  );
}

/** Shows the form again, filled in, after a post that cannot be filed yet, saying why. */
function sendBack(
  c: Ctx,
  dept: Department,
  r: Required<Pick<FormState, "values" | "errors">> & {
    check: FormTokenCheck | "missing";
    hadFiles: boolean;
  },
) {
  const t = c.get("t");
  const notice = [
    r.check === "missing" ? t("inquiry.confirm") : r.check === "ok" ? "" : t("inquiry.expired"),
    r.hadFiles ? t("inquiry.reattach") : "",
  ].filter(Boolean).join(" ");
  // A post from a listed company site lacks only our token: not an error, a last check before send.
  const status = Object.keys(r.errors).length === 0 && r.check === "missing" ? 200 : 422;
  return showForm(c, dept, { values: r.values, errors: r.errors, notice, status });
}

/** Routes under /inquiry. */
export function inquiryRoutes() {
  const app = new Hono<AppEnv>();
  const limiter = createRateLimiter(INQUIRY_POSTS_PER_HOUR, 3600_000);

  async function submit(c: Ctx, dept: Department) {
    const t = c.get("t");
    const deps = c.get("deps");
    const now = nowOf(c);
    const ip = clientIp(c);
    if (!limiter.attempt(ip, now)) return limited(c);
    const body = await readFormBody(c);
    // A bot filled the field people never see: thank it and keep nothing.
    if (body.fields[HONEYPOT_FIELD]) {
      return renderCustomerPage(c, t("inquiry.thanksTitle"), <ThanksPage t={t} />);
    }
    const settings = await findDepartmentSettings(deps.store.db, dept.id);
    // Files posted to a form that shows no file input are dropped, unchecked and unstored.
    const files = acceptsFiles(settings.form) ? body.files : [];
    const posted = { ...body.fields, attachments: describeFiles(files) };
    const checked = checkInput(inquirySchema(settings.form), posted, t);
    const key = await formKey(c);
    const token = body.fields.form_token ?? "";
    // A form posted from another site (MADOGUCHI_FORM_ORIGINS) has no token: confirm it here.
    const check = token ? await verifyFormToken(key, token, purpose(dept), now) : "missing";
    if (!checked.ok || check !== "ok") {
      const errors = checked.ok ? {} : checked.fields;
      const values = checked.ok ? checked.value : body.fields;
      return sendBack(c, dept, { values, errors, check, hadFiles: files.length > 0 });
    }
    const values = checked.value;
    const attachments = await toAttachments(files);
    const result = await asCustomer(c, (ctx) =>
      submitInquiry(ctx, {
        department: dept,
        settings,
        lang: c.get("locale"),
        customer: { email: values.email, name: values.name },
        subject: inquirySubject(settings.form, values),
        text: inquiryText(settings.form, values),
        category: inquiryCategory(settings.form, values),
        attachments,
        formToken: token,
        formKey: key,
      }));
    return c.redirect(`/inquiry/thanks/${result.receiptId}`, 303);
  }

  app.get("/", async (c) => {
    const dept = await findDefaultDepartment(c.get("deps").store.db);
    return dept ? showForm(c, dept) : unknownDepartment(c);
  });
  app.post("/", uploadLimit(), async (c) => {
    const dept = await findDefaultDepartment(c.get("deps").store.db);
    return dept ? submit(c, dept) : unknownDepartment(c);
  });

  app.get("/thanks/:id", async (c) => {
    const t = c.get("t");
    const { store, now } = c.get("deps");
    const receipt = await findReceipt(store.db, await hashSecret(c.req.param("id")));
    if (!receipt || (now ?? Date.now)() - receipt.createdAt > RECEIPT_TTL_MS) {
      return renderCustomerPage(
        c,
        t("inquiry.thanksTitle"),
        <CustomerMessage
          title={t("inquiry.thanksTitle")}
          text={t("inquiry.thanksGone")}
          link={{ href: "/status", label: t("portal.toStatus") }}
        />,
        { status: 404, private: true },
      );
    }
    return renderCustomerPage(
      c,
      t("inquiry.thanksTitle"),
      <ThanksPage t={t} number={receipt.number} email={receipt.email} />,
      { private: true },
    );
  });

  app.get("/:slug", async (c) => {
    const dept = await findDepartmentBySlug(c.get("deps").store.db, c.req.param("slug"));
    return dept ? showForm(c, dept) : unknownDepartment(c);
  });
  app.post("/:slug", uploadLimit(), async (c) => {
    const dept = await findDepartmentBySlug(c.get("deps").store.db, c.req.param("slug"));
    return dept ? submit(c, dept) : unknownDepartment(c);
  });

  return app;
}
