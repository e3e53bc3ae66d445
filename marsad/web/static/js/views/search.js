// Search results: articles matching an Arabic query (matched across clitics and spelling variants).
import { api } from "../api.js";
import { date, fill, h, pager } from "../dom.js";
import { t } from "../i18n.js";

const PAGE = 20;

export function search(main, params) {
  const query = params.get("q") ?? "";
  const results = h("section", { class: "panel", "data-testid": "search-results" });
  main.replaceChildren(h("h1", {}, t("search.title"), " · ", h("bdi", {}, query)), results);
  const page = (offset) =>
    fill(results, async () => {
      const data = await api.search({ q: query, limit: PAGE, offset });
      if (!data.items.length) return h("p", { class: "empty" }, t("search.none"));
      return [articleList(data.items), pager(data, page)];
    });
  page(0);
}

export function articleList(items) {
  return h(
    "ul",
    { class: "articles" },
    items.map((item) =>
      h(
        "li",
        {},
        h("a", { href: `#/article/${item.id}`, class: "title" }, item.title ?? item.id.slice(0, 12)),
        h("span", { class: "meta" }, item.outlet ?? "", " · ", date(item.published)),
      ),
    ),
  );
}
