// UI labels: one JSON dictionary per language (../labels.json); Arabic first, English on toggle.
const STORAGE_KEY = "marsad.lang";
let labels = {};
let current = "ar";

export async function loadLabels() {
  const response = await fetch("static/labels.json");
  labels = await response.json();
  const saved = localStorage.getItem(STORAGE_KEY);
  setLanguage(saved in labels ? saved : "ar");
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  const root = document.documentElement;
  root.lang = lang;
  root.dir = lang === "ar" ? "rtl" : "ltr";
  document.title = `${t("app.name")} · ${t("app.tagline")}`;
  for (const node of document.querySelectorAll("[data-label]")) node.textContent = t(node.dataset.label);
  for (const node of document.querySelectorAll("[data-label-placeholder]")) {
    node.placeholder = t(node.dataset.labelPlaceholder);
  }
}

export function t(key) {
  return labels[current]?.[key] ?? labels.ar?.[key] ?? key;
}

/** An entity's display name in the UI language (Arabic name when there is no English one). */
export function entityName(entity) {
  return current === "en" && entity.name_en ? entity.name_en : entity.name_ar;
}
