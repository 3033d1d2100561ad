// Sign in with email and password (cookie session) or with an API token.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { errorBox } from "../ui.js";

export const name = "login";

/** Render the sign-in form. */
export async function render(root, _params, _query, ctx) {
  root.innerHTML = `
    <div class="login card" data-testid="login">
      <h1>${t("login.title")}</h1>
      <form id="login-form">
        <label>${t("login.email")}<input type="email" name="email" data-testid="login-email" autocomplete="username" required></label>
        <label>${t("login.password")}<input type="password" name="password" data-testid="login-password" autocomplete="current-password" required></label>
        <button type="submit" data-testid="login-submit">${t("login.submit")}</button>
      </form>
      <details><summary>${t("login.or")}</summary>
        <form id="token-form">
          <label>${t("login.token")}<input type="password" name="token" data-testid="login-token" required></label>
          <button type="submit">${t("login.tokenSubmit")}</button>
        </form>
      </details>
      <div class="login-error" aria-live="polite"></div>
    </div>`;
  const out = root.querySelector(".login-error");
  const done = (user) => {
    ctx.signedIn(user);
    const next = sessionStorage.getItem("crn.next");
    sessionStorage.removeItem("crn.next");
    ctx.navigate(next && next !== "#/login" ? next : "#/");
  };
  root.querySelector("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    out.innerHTML = "";
    const form = new FormData(event.target);
    try { done(await api.login(form.get("email"), form.get("password"))); } catch (err) { out.innerHTML = errorBox(err); }
  });
  root.querySelector("#token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    out.innerHTML = "";
    try { done(await api.useToken(new FormData(event.target).get("token"))); } catch (err) { out.innerHTML = errorBox(err); }
  });
  root.querySelector("[data-testid=login-email]").focus();
}
