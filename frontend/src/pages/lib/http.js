/**
 * Small helpers the page scripts share: posting JSON with Django's CSRF
 * token, saving a file from the browser, reading an uploaded file.
 * (In lib/, so the build does not treat it as a page; each page bundles it.)
 */

export function csrfToken(root) {
  const input = root.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : '';
}

/** POST a JSON body; resolves to `{ok, status, data}` (never throws on HTTP errors). */
export async function postJson(url, body, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { error: `The server answered ${response.status}.` };
  }
  return { ok: response.ok, status: response.status, data };
}

/**
 * POST a JSON body anonymously: no cookie (so no session), no CSRF token, no
 * referrer. An audit is sent this way (docs/protocol.md 7.6), so that the
 * server cannot tie it to the member's account. Resolves like `postJson`.
 */
export async function postAnonymous(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    cache: 'no-store',
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = { error: `The server answered ${response.status}.` };
  }
  return { ok: response.ok, status: response.status, data };
}

export async function getJson(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Could not load ${url} (${response.status}).`);
  return response.json();
}

/** Offer `text` as a file download named `name`; returns the link used. */
export function saveFile(link, name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  link.href = url;
  link.download = name;
  link.hidden = false;
  link.click();
  return link;
}

export function readFile(input) {
  const file = input.files && input.files[0];
  if (!file) return Promise.reject(new Error('Choose the file first.'));
  return file.text();
}

export function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('errors', isError);
}
