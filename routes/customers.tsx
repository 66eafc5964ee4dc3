/** One customer: their record and every ticket they opened, newest activity first, paged. */
import { Hono } from "hono";
import { type CustomerRecord, findCustomerRecord } from "../db/customers.ts";
import type { TicketSummary } from "../db/tickets.ts";
import { listTickets } from "../db/ticket_list.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, displayTimeZone } from "./state.ts";
import { parseInput } from "../domain/validation.ts";
import { pageQuery } from "./params.ts";

const PER_PAGE = 20;

interface CustomerPageProps {
  t: Translate;
  locale: string;
  timeZone: string;
  customer: CustomerRecord;
  tickets: TicketSummary[];
  total: number;
  page: number;
}

function CustomerPage(p: CustomerPageProps) {
  const { t, customer } = p;
  const date = (ms: number) => formatDateTime(ms, p.timeZone, p.locale);
  const pages = Math.max(1, Math.ceil(p.total / PER_PAGE));
  const pageLink = (n: number) => `/customers/${customer.id}?page=${n}`;
  return (
    <section class="customer">
      <h1>{customer.name}</h1>
      <dl class="facts">
        <dt>{t("customer.email")}</dt>
        <dd>
          <a href={`mailto:${customer.email}`}>{customer.email}</a>
        </dd>
        <dt>{t("customer.since")}</dt>
        <dd>{date(customer.createdAt)}</dd>
      </dl>
      <h2>{t("customer.tickets", { n: p.total })}</h2>
      {p.tickets.length === 0 ? <p class="empty">{t("customer.empty")}</p> : (
        <table class="tickets">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("inbox.subject")}</th>
              <th>{t("inbox.status")}</th>
              <th>{t("inbox.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {p.tickets.map((tk) => (
              <tr data-ticket={tk.number}>
                <td class="num">{tk.number}</td>
                <td>
                  <a href={`/tickets/${tk.number}`}>{tk.subject}</a>
                  {tk.messageCount > 1 && <span class="muted">({tk.messageCount})</span>}
                </td>
                <td>
                  <span class={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span>
                </td>
                <td>{date(tk.lastMessageAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="pager">
          {p.page > 1 && <a href={pageLink(p.page - 1)}>{t("inbox.prev")}</a>}
          <span>{p.page} / {pages}</span>
          {p.page < pages && <a href={pageLink(p.page + 1)}>{t("inbox.next")}</a>}
        </nav>
      )}
    </section>
  );
}

/** Routes: GET /customers/:id. */
export function customerRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    const { store } = c.get("deps");
    const customer = Number.isSafeInteger(id) ? await findCustomerRecord(store.db, id) : undefined;
    if (!customer) return c.notFound();
    const page = parseInput(pageQuery, c.req.query("page"));
    const { tickets, total } = await listTickets(store.db, {
      customerId: customer.id,
      page,
      perPage: PER_PAGE,
    });
    return renderPage(
      c,
      `${customer.name} · ${c.get("t")("customer.title")}`,
      <CustomerPage
        t={c.get("t")}
        locale={c.get("locale")}
        timeZone={displayTimeZone(c)}
        customer={customer}
        tickets={tickets}
        total={total}
        page={page}
      />,
    );
  });
  return app;
}
