// Overview: corpus size and date range, outlets, top entities and event types, latest articles.
import { api } from "../api.js";
import { date, fill, h, num, pager } from "../dom.js";
import { entityName, t } from "../i18n.js";
import { articleList } from "./search.js";

export function overview(main) {
  const stats = h("section", { class: "panel", "data-testid": "overview" });
  const recent = h("section", { class: "panel" });
  main.replaceChildren(stats, recent);
  fill(stats, async () => {
    const data = await api.overview();
    if (!data.articles) return h("p", { class: "empty" }, t("overview.empty"));
    return [
      h(
        "dl",
        { class: "stats" },
        h("div", {}, h("dt", {}, t("overview.articles")), h("dd", { "data-testid": "article-count" }, num(data.articles))),
        h("div", {}, h("dt", {}, t("overview.range")), h("dd", {}, date(data.first), " — ", date(data.last))),
        h("div", {}, h("dt", {}, t("overview.outlets")), h("dd", {}, num(data.outlets.length))),
      ),
      h(
        "div",
        { class: "columns" },
        ranking(t("overview.entities"), data.entities, (item) =>
          h("a", { href: `#/entity/${encodeURIComponent(item.id)}` }, entityName(item)),
        ),
        ranking(t("overview.events"), data.event_types, (item) =>
          h("a", { href: `#/timeline?type=${encodeURIComponent(item.type)}` }, item.type),
        ),
        ranking(t("overview.outlets"), data.outlets, (item) =>
          h("a", { href: `#/timeline?outlet=${encodeURIComponent(item.outlet)}` }, item.outlet),
        ),
      ),
    ];
  });
  const page = (offset) =>
    fill(recent, async () => {
      const data = await api.articles({ limit: 10, offset });
      return [h("h2", {}, t("overview.recent")), articleList(data.items), pager(data, page)];
    });
  page(0);
}

function ranking(title, items, link) {
  const max = Math.max(...items.map((item) => item.count), 1);
  return h(
    "div",
    { class: "ranking" },
    h("h2", {}, title),
    items.length === 0 ? h("p", { class: "empty" }, t("entity.none")) : null,
    h(
      "ol",
      {},
      items.map((item) =>
        h(
          "li",
          {},
          link(item),
          h("span", { class: "meter", style: `inline-size: ${(100 * item.count) / max}%` }),
          num(item.count),
        ),
      ),
    ),
  );
}
