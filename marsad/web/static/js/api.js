// The one place that knows the server's URLs.  Every list is paged (limit/offset) by the server.
export class ApiError extends Error {}

async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const url = query.size ? `${path}?${query}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError("the server cannot be reached");
  }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const detail = body.error ?? response.statusText;
    throw new ApiError(`${response.status} ${detail}`);
  }
  return response.json();
}

export const api = {
  overview: () => get("api/dashboard/overview"),
  articles: (params) => get("api/articles", params),
  search: (params) => get("api/search", params),
  article: (id) => get(`api/articles/${encodeURIComponent(id)}`),
  timeline: (params) => get("api/dashboard/timeline", params),
  places: () => get("api/dashboard/places"),
  entity: (id) => get(`api/dashboard/entities/${encodeURIComponent(id)}`),
  claims: (params) => get("api/dashboard/claims", params),
};
