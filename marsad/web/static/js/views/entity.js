// Entity page: names, aliases, type, mentions over time, co-occurring entities, figures as charts.
import { api } from "../api.js";
import { date, fill, h, num } from "../dom.js";
import { entityName, t } from "../i18n.js";
import { barChart, lineChart } from "../chart.js";

export function entity(main, params, id) {
  fill(main, async () => {
    const data = await api.entity(id);
    const { entity: record } = data;
    return [
      h(
        "header",
        { class: "entity-head", "data-testid": "entity" },
        h("h1", {}, h("bdi", { lang: "ar", dir: "rtl" }, record.name_ar), record.name_en ? h("bdi", { lang: "en", dir: "ltr", class: "en" }, record.name_en) : null),
        h("p", {}, `${t("entity.type")}: ${record.type}${record.subtype ? ` · ${record.subtype}` : ""}`),
        record.aliases.length ? h("p", {}, `${t("entity.aliases")}: `, record.aliases.join("، ")) : null,
        h(
          "p",
          { class: "links" },
          h("a", { href: `#/timeline?entity=${encodeURIComponent(record.id)}` }, t("entity.timeline")),
          h("a", { href: `#/claims?entity=${encodeURIComponent(record.id)}` }, t("entity.claims")),
        ),
      ),
      h(
        "section",
        { class: "panel" },
        h("h2", {}, t("entity.mentions")),
        data.mentions_by_month.length
          ? barChart(data.mentions_by_month.map((m) => ({ label: m.period, value: m.count })), t("entity.mentions"))
          : h("p", { class: "empty" }, t("entity.none")),
      ),
      h(
        "section",
        { class: "panel" },
        h("h2", {}, t("entity.cooccurring")),
        data.cooccurring.length
          ? h("p", { class: "chips" }, data.cooccurring.map((other) =>
              h("a", { class: "chip", href: `#/entity/${encodeURIComponent(other.id)}` }, entityName(other), " ", num(other.count)),
            ))
          : h("p", { class: "empty" }, t("entity.none")),
      ),
      h("section", { class: "panel" }, h("h2", {}, t("entity.figures")), figures(data.figures)),
    ];
  });
}

function figures(items) {
  if (!items.length) return h("p", { class: "empty" }, t("entity.none"));
  const byUnit = Map.groupBy(items, (item) => item.unit);
  return [...byUnit].map(([unit, points]) =>
    h(
      "figure",
      { class: "figure-chart", "data-testid": "figure-chart" },
      h("figcaption", {}, unit),
      lineChart(
        points.map((p) => ({ label: p.when, value: p.value, tip: `${p.when} · ${p.value} · ${p.outlet ?? ""}` })),
        unit,
      ),
      h(
        "ul",
        { class: "figure-sources" },
        points.map((p) =>
          h("li", {}, date(p.when), " · ", num(p.value), " · ", h("a", { href: `#/article/${p.article_id}` }, p.outlet ?? t("unknown")), p.attribution ? ` · ${p.attribution}` : ""),
        ),
      ),
    ),
  );
}
