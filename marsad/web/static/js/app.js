// Entry point: labels, the language toggle, the search box and a hash router over the views.
import { h } from "./dom.js";
import { language, loadLabels, setLanguage, t } from "./i18n.js";
import { article } from "./views/article.js";
import { claims } from "./views/claims.js";
import { entity } from "./views/entity.js";
import { map } from "./views/map.js";
import { overview } from "./views/overview.js";
import { search } from "./views/search.js";
import { timeline } from "./views/timeline.js";

const routes = { "": overview, search, timeline, map, claims, entity, article };
const main = document.getElementById("main");

function route() {
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [name, ...rest] = path.split("/");
  const view = routes[name];
  for (const link of document.querySelectorAll("nav.main a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${name}`);
  }
  if (!view) {
    main.replaceChildren(h("p", { class: "error", role: "alert" }, t("error.notfound")));
    return;
  }
  view(main, new URLSearchParams(query), decodeURIComponent(rest.join("/")));
}

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = event.currentTarget.elements.q.value.trim();
  if (query) location.hash = `#/search?${new URLSearchParams({ q: query })}`;
});

document.getElementById("lang").addEventListener("click", () => {
  setLanguage(language() === "ar" ? "en" : "ar");
  route();
});

window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (event) => {
  main.prepend(h("p", { class: "error", role: "alert" }, `${t("error.load")}: ${event.reason?.message ?? event.reason}`));
});

await loadLabels();
route();
