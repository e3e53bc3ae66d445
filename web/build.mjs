// Build step (run once, output committed): vendor Leaflet and the Natural Earth 110m country outlines
// into marsad/web/static/vendor/, so the dashboard runs offline without node.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "marsad", "web", "static", "vendor");

function copy(from, to) {
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  copyFileSync(join(modules, from), join(vendor, to));
}

copy("leaflet/dist/leaflet.js", "leaflet/leaflet.js");
copy("leaflet/dist/leaflet.css", "leaflet/leaflet.css");
copy("leaflet/LICENSE", "leaflet/LICENSE");
copy("world-atlas/LICENSE", "world-atlas/LICENSE");

const topology = JSON.parse(readFileSync(join(modules, "world-atlas/countries-110m.json"), "utf8"));
const countries = feature(topology, topology.objects.countries);
writeFileSync(join(vendor, "world-atlas", "countries-110m.geojson"), JSON.stringify(countries));
console.log(`vendored Leaflet and ${countries.features.length} country outlines into ${vendor}`);
