// Claims side by side: one measure (entity, unit, period) reported by several sources; a measure whose
// sources give different values is marked as a conflict.
import { api } from "../api.js";
import { fill, h, num, pager } from "../dom.js";
import { entityName, t } from "../i18n.js";

const PAGE = 10;

export function claims(main, params) {
  const list = h("section", { "data-testid": "claims" });
  main.replaceChildren(h("h1", {}, t("claims.title")), list);
  const page = (offset) =>
    fill(list, async () => {
      const data = await api.claims({ entity: params.get("entity"), limit: PAGE, offset });
      if (!data.items.length) return h("p", { class: "empty" }, t("claims.none"));
      return [...data.items.map(measure), pager(data, page)];
    });
  page(0);
}

function measure(group) {
  return h(
    "article",
    { class: `panel measure ${group.conflict ? "conflict" : ""}` },
    h(
      "h2",
      {},
      h("a", { href: `#/entity/${encodeURIComponent(group.entity.id)}` }, entityName(group.entity)),
      ` · ${group.unit} · `,
      h("bdi", {}, group.period),
      h("span", { class: `badge ${group.conflict ? "conflict" : "agree"}` }, t(group.conflict ? "claims.conflict" : "claims.agree")),
    ),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["claims.value", "claims.source", "claims.attribution"].map((key) => h("th", {}, t(key))))),
      h(
        "tbody",
        {},
        group.claims.map((claim) =>
          h(
            "tr",
            {},
            h("td", { class: "value" }, num(claim.value)),
            h("td", {}, h("a", { href: `#/article/${claim.article_id}` }, claim.outlet ?? t("unknown"))),
            h("td", {}, claim.attribution ?? "—", h("div", { class: "snippet" }, claim.text)),
          ),
        ),
      ),
    ),
  );
}
