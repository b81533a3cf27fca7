// The explorer's shell: it renders the view the URL names, again on every
// change of the URL, and keeps the header, the language and focus in step.

import { endpoint, supersede } from './api.js';
import { h } from './dom.js';
import { lang, t } from './i18n.js';
import { current, link } from './state.js';
import * as matrix from './matrix.js';
import * as graph from './graph.js';
import * as entity from './entity.js';
import { compare, gaps, impact } from './questions.js';

const views = { matrix, graph, entity, gaps, compare, impact };
const main = document.getElementById('main');
const status = document.getElementById('status');
const alert = document.getElementById('alert');

let rendering = 0;
let shown = null; // the state last rendered

async function route() {
  const turn = ++rendering;
  supersede();
  const state = current();
  const view = views[state.view] ? state.view : 'matrix';
  shell(state, view);
  // A new view, or another entity, takes focus to its heading; a change
  // within a view leaves focus where it was, on the element of the same key.
  const moved = shown !== null && (view !== shown.view || state.id !== shown.id);
  const key = document.activeElement?.dataset?.key;
  shown = { ...state, view };
  main.setAttribute('aria-busy', 'true');
  status.textContent = t('loading');
  try {
    const { node, title, summary } = await views[view].render(state);
    if (turn !== rendering) return;
    alert.replaceChildren();
    main.replaceChildren(node);
    document.title = `${title} · ${t('title')}`;
    status.textContent = summary;
    performance.mark(`explorer:${view}`);
    const again = key && main.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
    else if (moved) main.querySelector('h1')?.focus();
  } catch (err) {
    if (turn !== rendering) return;
    status.textContent = '';
    main.replaceChildren();
    alert.replaceChildren(h('p', {}, err.kind === 'unreachable' ? t('error.unreachable', endpoint) : t('error.failed', err.detail ?? err.message)));
    if (!err.kind) throw err;
  } finally {
    if (turn === rendering) main.removeAttribute('aria-busy');
  }
}

// shell sets the page's language, the header's strings and links, and
// marks the current view.
function shell(state, view) {
  const fr = lang() === 'fr';
  document.documentElement.lang = lang();
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    a.href = link({ view: a.dataset.view });
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  // The playground is served beside the API the pages read.
  document.getElementById('playground').href = new URL('/', endpoint).href;
  const other = document.getElementById('language');
  other.href = link({ ...state, lang: fr ? null : 'fr' });
  other.lang = fr ? 'en' : 'fr';
  other.hreflang = other.lang;
}

// Links within the explorer change the state without loading the page.
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="?"]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  history.pushState(null, '', a.getAttribute('href'));
  route();
});
addEventListener('popstate', route);
addEventListener('statechange', route);
route();
