// Article view: the cleaned article with every extracted item marked inline by its offsets, and what
// was stripped from the page kept below, collapsed.
import { api } from "../api.js";
import { date, fill, h } from "../dom.js";
import { t } from "../i18n.js";
import { articleSpans, highlight, legend } from "../highlight.js";

export function article(main, params, id) {
  fill(main, async () => {
    const doc = await api.article(id);
    const spans = articleSpans(doc);
    const mark = (span) => highlight(doc.text, span.start, span.end, spans);
    return h(
      "article",
      { class: "panel article", "data-testid": "article", lang: doc.language === "ar" ? "ar" : null, dir: "auto" },
      doc.section ? h("p", { class: "section" }, doc.section.text) : null,
      h("h1", {}, doc.title ? mark(doc.title) : id.slice(0, 12)),
      h(
        "p",
        { class: "meta" },
        `${t("article.outlet")}: ${doc.outlet ?? t("unknown")} · ${t("article.published")}: `,
        date(doc.published),
        doc.dateline ? [` · ${t("article.dateline")}: `, mark(doc.dateline)] : null,
        doc.url ? [" · ", h("a", { href: doc.url, rel: "noreferrer" }, t("article.open"))] : null,
      ),
      legend(),
      h("div", { class: "body" }, doc.paragraphs.map((p) => h("p", {}, mark(p)))),
      doc.captions.length
        ? h("section", {}, h("h2", {}, t("article.captions")), doc.captions.map((c) => h("p", { class: "caption" }, mark(c))))
        : null,
      doc.boilerplate.length
        ? h(
            "details",
            { class: "boilerplate" },
            h("summary", {}, t("article.boilerplate")),
            h("ul", {}, doc.boilerplate.map((block) => h("li", {}, h("span", { class: "badge" }, block.kind), " ", block.text))),
          )
        : null,
    );
  });
}
