// The landing view: what to do next.
import { t } from "../i18n.js";

export const name = "home";

/** Render the home hint. */
export async function render(root) {
  root.innerHTML = `<div class="home"><h1>${t("home.title")}</h1><p class="muted">${t("home.hint")}</p></div>`;
  document.getElementById("search")?.focus();
}
