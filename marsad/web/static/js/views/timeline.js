// Timeline: events and figures in the order of the time they refer to (publication time when the text
// gives none), filterable by entity, event type and outlet; an item opens its evidence sentence.
import { api } from "../api.js";
import { date, fill, h, num, pager } from "../dom.js";
import { entityName, t } from "../i18n.js";
import { articleSpans, highlight, legend } from "../highlight.js";

const PAGE = 25;
const FILTERS = ["entity", "type", "outlet"];

export function timeline(main, params) {
  const filters = h("form", { class: "filters", "data-testid": "timeline-filters" });
  const list = h("section", { class: "panel", "data-testid": "timeline" });
  main.replaceChildren(h("h1", {}, t("timeline.title")), filters, list);
  fill(filters, () => filterFields(params));
  filters.addEventListener("change", () => {
    const chosen = new URLSearchParams();
    for (const name of FILTERS) if (filters.elements[name].value) chosen.set(name, filters.elements[name].value);
    location.hash = `#/timeline?${chosen}`;
  });
  const query = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  const page = (offset) =>
    fill(list, async () => {
      const data = await api.timeline({ ...query, limit: PAGE, offset });
      if (!data.items.length) return h("p", { class: "empty" }, t("timeline.none"));
      return [h("ol", { class: "timeline" }, data.items.map(timelineItem)), pager(data, page)];
    });
  page(0);
}

async function filterFields(params) {
  const data = await api.overview();
  const options = (name, items, value, label) => {
    const current = params.get(name) ?? "";
    const known = items.some((item) => value(item) === current);
    return h(
      "label",
      {},
      t(`timeline.${name}`),
      h(
        "select",
        { name },
        h("option", { value: "" }, t("timeline.any")),
        current && !known ? h("option", { value: current, selected: true }, current) : null,
        items.map((item) => h("option", { value: value(item), selected: value(item) === current }, label(item))),
      ),
    );
  };
  return [
    options("entity", data.entities, (e) => e.id, entityName),
    options("type", data.event_types, (e) => e.type, (e) => e.type),
    options("outlet", data.outlets, (o) => o.outlet, (o) => o.outlet),
  ];
}

function timelineItem(item) {
  const evidence = h("div", { class: "evidence", hidden: true });
  const what =
    item.kind === "event"
      ? h("span", { class: "badge event" }, item.type)
      : h("span", { class: "badge figure" }, num(item.value), item.unit ? ` ${item.unit}` : "");
  const toggle = () => {
    evidence.hidden = !evidence.hidden;
    head.setAttribute("aria-expanded", String(!evidence.hidden));
    if (!evidence.hidden && !evidence.childElementCount) fill(evidence, () => evidenceOf(item));
  };
  const head = h(
    "button",
    { type: "button", class: "item-head", "aria-expanded": "false", onclick: toggle },
    h("span", { class: `when ${item.when_from}`, title: item.when_from === "published" ? t("timeline.published") : "" }, date(item.when)),
    what,
    h("span", { class: "snippet" }, item.text),
    h("span", { class: "meta" }, item.outlet ?? ""),
  );
  return h("li", { class: `item ${item.kind}`, dataset: { kind: item.kind } }, head, evidence);
}

async function evidenceOf(item) {
  const article = await api.article(item.article_id);
  const { start, end } = item.sentence;
  return [
    h("h3", {}, t("timeline.evidence")),
    h("p", { class: "sentence", "data-testid": "evidence" }, highlight(article.text, start, end, articleSpans(article))),
    legend(),
    h("a", { href: `#/article/${article.id}` }, article.title?.text ?? article.id.slice(0, 12)),
    entitiesOf(article, start, end),
  ];
}

function entitiesOf(article, start, end) {
  const ids = new Set(article.mentions.filter((m) => m.start >= start && m.end <= end).map((m) => m.entity_id));
  const entities = article.entities.filter((entity) => ids.has(entity.id));
  return h(
    "p",
    { class: "chips" },
    entities.map((entity) => h("a", { class: "chip", href: `#/entity/${encodeURIComponent(entity.id)}` }, entityName(entity))),
  );
}
