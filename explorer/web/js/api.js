// The GraphQL API the pages read, and nothing else: the explorer is a client
// like any other.

// endpoint is ?api=URL on the page, else the psmgraph-api meta tag, else
// /graphql on the page's own origin. A copy of the pages on another origin
// names the API in either.
export const endpoint = new URL(
  new URLSearchParams(location.search).get('api') ??
    document.querySelector('meta[name="psmgraph-api"]')?.content ??
    '/graphql',
  location.href,
).href;

// ApiError is a failed request: 'unreachable' when no answer came (the
// network, or a CORS refusal: browsers do not tell which), 'aborted' when a
// newer view superseded it, 'failed' when the API answered with an error.
export class ApiError extends Error {
  constructor(kind, detail = '') {
    super(detail || kind);
    this.kind = kind;
    this.detail = detail;
  }
}

// Answers are kept for a minute: views render again on every change of the
// URL, and going back should not ask again; a curator's edit shows within
// the minute.
const answers = new Map();
const KEEP_MS = 60_000;

// The requests of the view being rendered; a newer render aborts them.
let requests = new AbortController();

// supersede aborts the requests still running for the render before, and
// forgets them: the view that asked for them is no longer wanted.
export function supersede() {
  requests.abort();
  for (const [key, entry] of answers) if (entry.pending) answers.delete(key);
  requests = new AbortController();
}

// query runs a GraphQL operation and resolves to its data.
export function query(text, variables = {}) {
  const key = JSON.stringify([text, variables]);
  const kept = answers.get(key);
  if (kept && Date.now() - kept.at < KEEP_MS) return kept.answer;
  const entry = { at: Date.now(), pending: true, answer: post(text, variables, requests.signal) };
  entry.answer.then(() => { entry.pending = false; }, () => answers.get(key) === entry && answers.delete(key));
  answers.set(key, entry);
  return entry.answer;
}

async function post(text, variables, signal) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: text, variables }),
      signal,
    });
  } catch {
    throw new ApiError(signal.aborted ? 'aborted' : 'unreachable');
  }
  const body = await res.json().catch(() => null);
  if (signal.aborted) throw new ApiError('aborted');
  if (body?.errors?.length) throw new ApiError('failed', body.errors[0].message);
  if (!res.ok || !body?.data) throw new ApiError('failed', `HTTP ${res.status}`);
  return body.data;
}
