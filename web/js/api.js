// api.js: every request the dashboard makes, with the token as a Bearer header. The token lives
// in sessionStorage only (gone when the tab closes) and is never put in a URL or logged.

const TOKEN_KEY = 'deadzone.token';

export class ApiError extends Error {
  constructor(status, body, message) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function request(path, { method = 'GET', body, contentType, signal } = {}) {
  const headers = { Authorization: `Bearer ${token.get()}` };
  if (contentType) headers['Content-Type'] = contentType;
  const response = await fetch(path, { method, body, headers, signal, cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const message = json && typeof json.error === 'string' ? json.error : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, json, message);
  }
  return { status: response.status, json };
}

const query = (params) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

export const api = {
  whoami: () => request('/api/whoami').then((r) => r.json),
  progress: (asOf, signal) => request(`/api/progress?${query({ as_of: asOf })}`, { signal }).then((r) => r.json),
  layer: (name, asOf, bbox, signal) =>
    request(`/api/layers/${name}.geojson?${query({ as_of: asOf, bbox: bbox && bbox.join(',') })}`, { signal })
      .then((r) => r.json),
  village: (id, asOf, signal) =>
    request(`/api/villages/${encodeURIComponent(id)}?${query({ as_of: asOf })}`, { signal }).then((r) => r.json),
  uploads: () => request('/api/uploads').then((r) => r.json),
  /** The file is the body, as the service expects; 201/200 → the import report, else ApiError. */
  upload: (file, params) =>
    request(`/api/uploads?${query({ ...params, file: file.name })}`, {
      method: 'POST',
      body: file,
      contentType: file.type || 'application/octet-stream',
    }),
};
