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
// network, or a CORS refusal: browsers do not tell which), 'failed' when the
// API answered with an error.
export class ApiError extends Error {
  constructor(kind, detail = '') {
    super(detail || kind);
    this.kind = kind;
    this.detail = detail;
  }
}

// Answers are kept for the page's life: views render again on every change
// of the URL, and going back should not ask again.
const answers = new Map();

// query runs a GraphQL operation and resolves to its data.
export function query(text, variables = {}) {
  const key = JSON.stringify([text, variables]);
  if (!answers.has(key)) {
    const answer = post(text, variables);
    answer.catch(() => answers.delete(key));
    answers.set(key, answer);
  }
  return answers.get(key);
}

async function post(text, variables) {
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
  } catch {
    throw new ApiError('unreachable');
  }
  const body = await res.json().catch(() => null);
  if (body?.errors?.length) throw new ApiError('failed', body.errors[0].message);
  if (!res.ok || !body?.data) throw new ApiError('failed', `HTTP ${res.status}`);
  return body.data;
}
