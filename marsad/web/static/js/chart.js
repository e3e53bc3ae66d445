// Inline SVG charts: bars for counts per period, a line with labelled points for a figure over time.
// Time runs left to right in both reading directions (the SVG is dir="ltr").
const NS = "http://www.w3.org/2000/svg";
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { top: 22, right: 16, bottom: 34, left: 44 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(label) {
  return svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "chart",
    role: "img",
    "aria-label": label,
    direction: "ltr",
  });
}

const plotWidth = WIDTH - PAD.left - PAD.right;
const plotHeight = HEIGHT - PAD.top - PAD.bottom;
const y = (value, max) => PAD.top + plotHeight - (max ? (value / max) * plotHeight : 0);
const short = (value) => new Intl.NumberFormat("en", { notation: "compact" }).format(value);

/** points: [{label, value}] in time order → bar chart. */
export function barChart(points, label) {
  const root = frame(label);
  const max = Math.max(...points.map((point) => point.value), 1);
  const step = plotWidth / points.length;
  const every = Math.ceil(points.length / 8);
  points.forEach((point, i) => {
    const x = PAD.left + i * step;
    const top = y(point.value, max);
    const bar = svg("rect", { x: x + step * 0.15, y: top, width: step * 0.7, height: PAD.top + plotHeight - top, class: "bar" });
    bar.append(svg("title", {}, `${point.label}: ${point.value}`));
    root.append(bar);
    if (i % every === 0) root.append(svg("text", { x: x + step / 2, y: HEIGHT - 12, class: "tick" }, point.label));
  });
  root.append(svg("text", { x: PAD.left - 6, y: PAD.top + 4, class: "tick end" }, short(max)));
  root.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + plotHeight, y2: PAD.top + plotHeight, class: "axis" }));
  return root;
}

/** points: [{label, value, tip}] in time order → line with every point's value written above it. */
export function lineChart(points, label) {
  const root = frame(label);
  const max = Math.max(...points.map((point) => point.value), 1);
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const every = Math.ceil(points.length / 8);
  const xy = points.map((point, i) => [PAD.left + (points.length > 1 ? i * step : plotWidth / 2), y(point.value, max)]);
  root.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + plotHeight, y2: PAD.top + plotHeight, class: "axis" }));
  root.append(svg("polyline", { points: xy.map((p) => p.join(",")).join(" "), class: "line" }));
  points.forEach((point, i) => {
    const [cx, cy] = xy[i];
    const dot = svg("circle", { cx, cy, r: 4, class: "dot" });
    dot.append(svg("title", {}, point.tip ?? `${point.label}: ${point.value}`));
    root.append(dot, svg("text", { x: cx, y: cy - 8, class: "value" }, short(point.value)));
    if (i % every === 0) root.append(svg("text", { x: cx, y: HEIGHT - 12, class: "tick" }, point.label));
  });
  return root;
}
