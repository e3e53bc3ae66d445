// Extracted items drawn over the original text, by their character offsets into Article.text.
import { h } from "./dom.js";
import { entityName, t } from "./i18n.js";

export const KINDS = ["mention", "time", "quantity", "trigger", "attribution"];

/** Every highlightable item of an article as {start, end, kind, tip, href, entity}. */
export function articleSpans(article) {
  const entities = new Map((article.entities ?? []).map((entity) => [entity.id, entity]));
  const spans = [];
  for (const mention of article.mentions ?? []) {
    const entity = entities.get(mention.entity_id);
    const name = entity ? `${entity.name_ar}${entity.name_en ? ` / ${entity.name_en}` : ""}` : mention.entity_id;
    spans.push({
      ...mention,
      kind: "mention",
      entity: mention.entity_id,
      tip: `${name} (${mention.type})`,
      href: `#/entity/${encodeURIComponent(mention.entity_id)}`,
    });
  }
  for (const time of article.times ?? []) {
    spans.push({ ...time, kind: "time", tip: `${time.type}: ${time.value ?? t("unknown")}` });
  }
  for (const quantity of article.quantities ?? []) {
    const unit = quantity.unit ? ` ${quantity.unit}` : "";
    spans.push({ ...quantity, kind: "quantity", tip: `${quantity.value}${unit}` });
  }
  for (const event of article.events ?? []) {
    spans.push({ ...event.trigger, kind: "trigger", tip: `${event.type} · ${event.modality}` });
  }
  for (const attribution of article.attributions ?? []) {
    const entity = entities.get(attribution.entity_id);
    const who = entity ? ` · ${entityName(entity)}` : "";
    spans.push({ ...attribution, kind: "attribution", tip: `${attribution.kind}${who}` });
  }
  return spans;
}

/**
 * Article.text[start:end) as DOM nodes with the spans inside it marked.  Spans nest when one holds
 * another (an attribution around an entity); a span crossing another's edge is left unmarked.
 */
export function highlight(text, start, end, spans) {
  const inside = spans
    .filter((span) => span.start >= start && span.end <= end && span.end > span.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const root = { start, end, children: [] };
  const stack = [root];
  for (const span of inside) {
    while (stack.at(-1).end <= span.start) stack.pop();
    const parent = stack.at(-1);
    if (span.end > parent.end) continue;
    const node = { ...span, children: [] };
    parent.children.push(node);
    stack.push(node);
  }
  return render(text, root);
}

function render(text, node) {
  const out = [];
  let at = node.start;
  for (const child of node.children) {
    if (child.start > at) out.push(text.slice(at, child.start));
    const attrs = {
      class: `hl hl-${child.kind}`,
      title: child.tip,
      dataset: { kind: child.kind, start: child.start, end: child.end, ...(child.entity ? { entity: child.entity } : {}) },
    };
    out.push(child.href ? h("a", { ...attrs, href: child.href }, render(text, child)) : h("mark", attrs, render(text, child)));
    at = child.end;
  }
  if (at < node.end) out.push(text.slice(at, node.end));
  return out;
}

export function legend() {
  return h(
    "ul",
    { class: "legend", "aria-label": t("legend.title") },
    KINDS.map((kind) => h("li", {}, h("mark", { class: `hl hl-${kind}` }, t(`legend.${kind}`)))),
  );
}
