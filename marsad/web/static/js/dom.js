// Small DOM helpers shared by every view: element builder, numbers and dates, pager, errors.
import { language, t } from "./i18n.js";

/** h("a", {href: "#/"}, "text", child) → element; attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** Numbers and dates sit in <bdi> so they read correctly inside right-to-left text. */
export function num(value) {
  const format = new Intl.NumberFormat(language() === "ar" ? "ar-u-nu-latn" : "en", {
    maximumFractionDigits: 2,
  });
  return h("bdi", { class: "num", dir: "ltr" }, format.format(value));
}

/** An ISO 8601 date or time as "2025-05-28" or "2025-05-28 16:48" (seconds and zone left out). */
export function date(iso) {
  return h("bdi", { class: "date", dir: "ltr", title: iso ?? "" }, iso ? iso.slice(0, 16).replace("T", " ") : t("unknown"));
}

export function errorBox(error) {
  return h("p", { class: "error", role: "alert" }, `${t("error.load")}: ${error.message}`);
}

export function loading() {
  return h("p", { class: "loading" }, t("loading"));
}

/** Previous/next buttons for a page of ``{total, limit, offset}``; ``go(offset)`` loads another page. */
export function pager(page, go) {
  if (page.total <= page.limit) return null;
  const last = Math.min(page.offset + page.limit, page.total);
  return h(
    "nav",
    { class: "pager" },
    h("button", { type: "button", disabled: page.offset === 0, onclick: () => go(page.offset - page.limit) }, t("page.prev")),
    h("span", {}, num(page.offset + 1), "–", num(last), ` ${t("page.of")} `, num(page.total)),
    h("button", { type: "button", disabled: last >= page.total, onclick: () => go(page.offset + page.limit) }, t("page.next")),
  );
}

/** Render into ``target`` once ``work`` resolves, with a loading line before and a clear error after. */
export async function fill(target, work) {
  target.replaceChildren(loading());
  try {
    target.replaceChildren(...[await work()].flat().filter(Boolean));
  } catch (error) {
    target.replaceChildren(errorBox(error));
  }
}
