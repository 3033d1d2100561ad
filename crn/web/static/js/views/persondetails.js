// The rest of a person's record beside the profile (slice "canvas", issue 11 §5): employment history with dates,
// tickets, orders, consent and preferences. Deals with roles and the reporting line are in the profile; interactions
// in the activity section (person.js), where they are logged, edited and deleted.
import * as api from "../api.js";
import { t, fmtDate, fmtMoney } from "../i18n.js";
import { esc, facts, link, load, nodesOf, section } from "../ui.js";

const DETAILS_QUERY = `query PersonDetails($id: ID!) { person(id: $id) { id consentMarketing consentAt preferences
  employments { title department since until current company { id name } }
  tickets(first: 10) { totalCount edges { node { id subject status priority openedAt } } }
  orders { id number total currency status } } }`;

const KEYS = ["person.employments", "person.tickets", "person.orders", "person.consent"];

/** The detail sections' markup (empty until loadPersonDetails fills them). */
export function detailSections() {
  return KEYS.map((key) => section(key, undefined, key.replace("person.", "person-"))).join("");
}

const empty = () => `<p class="muted">${t("empty")}</p>`;
const more = (conn, shown) => (conn.totalCount > shown ? `<p class="muted small">${shown} / ${conn.totalCount}</p>` : "");

/** Fill the detail sections of person `id` from one query. */
export function loadPersonDetails(root, id) {
  const person = api.gql(DETAILS_QUERY, { id }).then((d) => d.person);
  return Promise.all([
    load(root, "person.employments", async () => {
      const list = (await person)?.employments || [];
      return list.length ? `<ul class="list">${list.map((e) => `<li data-testid="employment-row">${link("Company", e.company.id, e.company.name)}
        <span class="muted">${esc([e.title, e.department].filter(Boolean).join(" · "))}</span>
        <span class="small" data-testid="employment-dates">${fmtDate(e.since)} – ${e.current ? esc(t("person.current")) : fmtDate(e.until)}</span></li>`).join("")}</ul>` : empty();
    }),
    load(root, "person.tickets", async () => {
      const conn = (await person)?.tickets;
      const items = conn ? nodesOf(conn) : [];
      return items.length ? `<ul class="list">${items.map((tk) => `<li data-testid="person-ticket">${esc(tk.subject)}
        <span class="muted">${esc(tk.status || "")} · ${esc(tk.priority || "")} · ${fmtDate(tk.openedAt)}</span></li>`).join("")}</ul>${more(conn, items.length)}` : empty();
    }),
    load(root, "person.orders", async () => {
      const list = (await person)?.orders || [];
      return list.length ? `<ul class="list">${list.map((o) => `<li data-testid="person-order">${esc(o.number || o.id)}
        <span class="muted">${esc(o.status || "")} · ${fmtMoney(o.total, o.currency)}</span></li>`).join("")}</ul>` : empty();
    }),
    load(root, "person.consent", async () => {
      const p = await person;
      if (!p) return empty();
      const prefs = p.preferences && typeof p.preferences === "object" ? Object.entries(p.preferences) : [];
      return facts([[t("person.consentMarketing"), `<span data-testid="person-consent">${esc(p.consentMarketing ? t("person.yes") : t("person.no"))}</span>`],
        [t("person.consentAt"), p.consentAt ? fmtDate(p.consentAt) : null]])
        + (prefs.length ? `<h3>${esc(t("person.preferences"))}</h3>${facts(prefs.map(([k, v]) => [k, esc(typeof v === "object" ? JSON.stringify(v) : String(v))]))}` : "");
    }),
  ]);
}
