// The app's only way to the server: /auth/* for the session and POST /graphql for data.
// No credential is ever kept where script can read it: both sign-in ways end in the HttpOnly session
// cookie (an API token typed into the login page is exchanged for a session at POST /auth/login).

/** An error with a code ("unauthenticated", "network", "graphql", ...) for translated messages. */
export class ApiError extends Error {
  constructor(code, message, details = null) {
    super(message || code);
    this.code = code;
    this.details = details;
  }
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      ...options,
      headers: { "Content-Type": "application/json", Accept: "application/json", ...(options.headers || {}) },
    });
  } catch (err) {
    throw new ApiError("network", String(err));
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  return { status: response.status, body };
}

/** The signed-in user ({name, email, role}) or null. */
export async function me() {
  const { status, body } = await request("/auth/me");
  if (status !== 200 || !body) return null;
  return body.user || body;
}

/** Sign in with email and password; the server sets the HttpOnly session cookie. */
export async function login(email, password) {
  const { status, body } = await request("/auth/login", { method: "POST", body: JSON.stringify({ email, password }) });
  if (status === 200 && body?.ok) return body.user;
  const error = body?.error || {};
  throw new ApiError(error.code || (status === 401 ? "invalid_credentials" : "generic"), error.message || `HTTP ${status}`);
}

/** Sign in with an API token: the server checks it and sets the HttpOnly session cookie (the session
 * ends with the token); the token itself is not kept by the page. */
export async function useToken(token) {
  const { status, body } = await request("/auth/login", { method: "POST", body: JSON.stringify({ token: token.trim() }) });
  if (status === 200 && body?.ok) return body.user;
  const error = body?.error || {};
  throw new ApiError(error.code === "too_many_attempts" ? error.code : "invalid_token", error.message || `HTTP ${status}`);
}

/** Sign out: ask the server to end the session and clear the cookie. */
export async function logout() {
  await request("/auth/logout", { method: "POST", body: "{}" }).catch(() => null);
}

/** Run a GraphQL query; resolves to `data`, throws ApiError on HTTP or GraphQL errors. */
export async function gql(query, variables = {}) {
  const { status, body } = await request("/graphql", { method: "POST", body: JSON.stringify({ query, variables }) });
  if (status === 401 || status === 403) throw new ApiError("unauthenticated", body?.error?.message || `HTTP ${status}`);
  if (!body) throw new ApiError("generic", `HTTP ${status}`);
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = first.extensions?.code;
    if (code === "UNAUTHENTICATED" || code === "unauthenticated") throw new ApiError("unauthenticated", first.message);
    // Partial data is still shown when the server resolved part of the query.
    if (body.data && Object.values(body.data).some((v) => v !== null)) {
      console.warn("GraphQL partial errors", body.errors);
      return body.data;
    }
    throw new ApiError("graphql", first.message, body.errors);
  }
  return body.data;
}

/** Run a GraphQL mutation with file uploads (the GraphQL multipart request: operations, map, files).
 * `files` maps a variable name to a File. Same-origin, session cookie, plus the X-CRN-CSRF header the server
 * requires of multipart requests; resolves to `data`, throws ApiError like gql(). */
export async function gqlUpload(query, variables, files) {
  const form = new FormData();
  const names = Object.keys(files);
  form.append("operations", JSON.stringify({ query, variables: { ...variables, ...Object.fromEntries(names.map((n) => [n, null])) } }));
  form.append("map", JSON.stringify(Object.fromEntries(names.map((n, i) => [String(i), [`variables.${n}`]]))));
  names.forEach((n, i) => form.append(String(i), files[n], files[n].name));
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", credentials: "same-origin", body: form,
      headers: { Accept: "application/json", "X-CRN-CSRF": "1" } });
  } catch (err) {
    throw new ApiError("network", String(err));
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (response.status === 401) throw new ApiError("unauthenticated", body?.error?.message || "HTTP 401");
  if (response.status === 413) throw new ApiError("too_large", body?.errors?.[0]?.message || "HTTP 413");
  if (!body) throw new ApiError("generic", `HTTP ${response.status}`);
  if (body.errors?.length) throw new ApiError(response.status === 403 ? "forbidden" : "graphql", body.errors[0].message, body.errors);
  return body.data;
}

/** Save bytes or text as a file the browser downloads (an attachment named `filename`). */
export function saveFile(content, filename, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
