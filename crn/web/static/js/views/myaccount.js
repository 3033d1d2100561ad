// "My account": change my password (errors shown at their field) and see my API tokens.
import * as api from "../api.js";
import { t, fmtDate } from "../i18n.js";
import { esc, errorBox, section, fill } from "../ui.js";

export const name = "myaccount";

const TOKENS = `query MyTokens { myTokens { tokenId name createdAt expiresAt lastUsedAt revoked } }`;
const CHANGE = `mutation PasswordChange($current: String!, $next: String!) { passwordChange(currentPassword: $current, newPassword: $next) {
  __typename ... on PasswordChangeError { errors { code message field } } } }`;

function tokensHtml(tokens) {
  if (!tokens.length) return `<p class="muted">${t("activity.noTokens")}</p>`;
  return `<ul class="list" data-testid="my-tokens">${tokens.map((k) => `<li data-testid="my-token"><strong>${esc(k.name)}</strong>
    <code>${esc(k.tokenId)}</code> <span class="muted">${t("activity.tokenCreated")} ${fmtDate(k.createdAt)}
    · ${t("activity.tokenExpires")} ${k.expiresAt ? fmtDate(k.expiresAt) : t("activity.never")}
    · ${t("activity.tokenUsed")} ${k.lastUsedAt ? fmtDate(k.lastUsedAt) : t("activity.never")}</span>
    ${k.revoked ? `<span class="badge">${t("activity.revoked")}</span>` : ""}</li>`).join("")}</ul>`;
}

/** Render my account. */
export async function render(root, _params, _query, ctx) {
  root.innerHTML = `<div class="home"><h1>${t("activity.myAccount")}</h1>
    <section class="card" data-testid="section-password"><h2>${t("activity.changePassword")}</h2>
      <form class="task-form" data-testid="password-form" novalidate>
        <label>${t("activity.currentPassword")} <input name="current" type="password" autocomplete="current-password" data-testid="password-current"></label>
        <span class="field-error" data-error-for="currentPassword" role="alert" data-testid="password-current-error"></span>
        <label>${t("activity.newPassword")} <input name="next" type="password" autocomplete="new-password" data-testid="password-new"></label>
        <span class="field-error" data-error-for="newPassword" role="alert" data-testid="password-new-error"></span>
        <span class="field-error" data-error-for="form" role="alert"></span>
        <button type="submit" data-testid="password-save">${t("activity.changePassword")}</button>
      </form></section>
    ${section("activity.myTokens", undefined, "my-tokens")}</div>`;
  const form = root.querySelector("[data-testid=password-form]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelectorAll(".field-error").forEach((n) => { n.textContent = ""; });
    try {
      const result = (await api.gql(CHANGE, { current: form.elements.current.value, next: form.elements.next.value })).passwordChange;
      if (result.__typename === "PasswordChangeSuccess") {  // every session ended: sign in again
        ctx.signedIn(null);
        ctx.navigate("#/login");
        return;
      }
      for (const e of result.errors) {
        const target = form.querySelector(`[data-error-for="${e.field}"]`) || form.querySelector('[data-error-for="form"]');
        const text = t(`activity.error.${e.code}`);
        target.textContent = text === `activity.error.${e.code}` ? e.message : text;
      }
    } catch (err) {
      form.querySelector('[data-error-for="form"]').innerHTML = errorBox(err);
    }
  });
  try {
    fill(root, "activity.myTokens", tokensHtml((await api.gql(TOKENS)).myTokens));
  } catch (err) {
    fill(root, "activity.myTokens", errorBox(err));
  }
  root.dataset.ready = "1";
}
