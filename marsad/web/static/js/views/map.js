// Map: places and military facilities from the knowledge base, one circle per place (aggregated on the
// server), sized by mentions; drawn over Natural Earth 110m country outlines, no tile server.
import { api } from "../api.js";
import { fill, h, num } from "../dom.js";
import { entityName, t } from "../i18n.js";

const L = window.L;
let outlines;

export function map(main) {
  const canvas = h("div", { class: "map", id: "map", dir: "ltr", "data-testid": "map" });
  const status = h("div", { class: "map-status" });
  main.replaceChildren(h("h1", {}, t("map.title")), mapLegend(), canvas, status);
  const view = L.map(canvas, { worldCopyJump: false, attributionControl: true }).setView([30, 35], 3);
  view.attributionControl.setPrefix(false).addAttribution("Natural Earth · Leaflet");
  fill(status, async () => {
    outlines ??= await fetch("static/vendor/world-atlas/countries-110m.geojson").then((r) => r.json());
    L.geoJSON(outlines, { style: { className: "country", weight: 0.6 }, interactive: false }).addTo(view);
    const data = await api.places();
    if (!data.items.length) return h("p", { class: "empty" }, t("map.none"));
    const max = Math.max(...data.items.map((place) => place.mentions));
    const points = data.items.map((place) =>
      L.circleMarker([place.lat, place.lon], {
        radius: 4 + 14 * Math.sqrt(place.mentions / max),
        className: `place ${place.type === "FACILITY" ? "facility" : "area"}`,
      })
        .bindTooltip(entityName(place), { direction: "top" })
        .bindPopup(() => popup(place)),
    );
    L.featureGroup(points).addTo(view);
    view.fitBounds(L.latLngBounds(focus(data.items).map((place) => [place.lat, place.lon])).pad(0.3), {
      maxZoom: 6,
    });
    return h("p", { class: "meta" }, num(data.items.length), ` ${t("map.place")}`);
  });
}

// The places that carry most of the mentions (80%), so one far-away mention does not zoom the map out
// to the whole world.
function focus(places) {
  const total = places.reduce((sum, place) => sum + place.mentions, 0);
  const chosen = [];
  let covered = 0;
  for (const place of [...places].sort((a, b) => b.mentions - a.mentions)) {
    chosen.push(place);
    covered += place.mentions;
    if (covered >= 0.8 * total) break;
  }
  return chosen;
}

function popup(place) {
  return h(
    "div",
    { dir: document.documentElement.dir, class: "popup" },
    h("strong", {}, h("a", { href: `#/entity/${encodeURIComponent(place.id)}` }, entityName(place))),
    h("div", {}, t("map.mentions"), ": ", num(place.mentions)),
    h("div", {}, h("a", { href: `#/timeline?entity=${encodeURIComponent(place.id)}` }, t("map.events"), ": ", num(place.events))),
  );
}

function mapLegend() {
  return h(
    "ul",
    { class: "legend" },
    h("li", {}, h("span", { class: "swatch area" }), t("map.place")),
    h("li", {}, h("span", { class: "swatch facility" }), t("map.facility")),
  );
}
