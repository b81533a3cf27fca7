// The graph view: search for an entity, draw its neighbourhood, expand a
// node by activating it, and trace the paths between two entities,
// highlighted on the drawing. A list beside the drawing says the same in
// text.

import { query } from './api.js';
import { h, s } from './dom.js';
import { name, nameLang, t } from './i18n.js';
import { layout } from './layout.js';
import { groups, REF, selection } from './model.js';
import { entityLink, typeBadge } from './parts.js';
import { current, go, link, list, update } from './state.js';

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 20) { node { ${REF} } }
}`;

const NEIGHBOURS = `query Neighbours($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Entity { ${REF} } ${selection()} }
}`;

const TRACE = `query Trace($from: ID!, $to: ID!) {
  trace(from: $from, to: $to, maxHops: 4, first: 10) {
    nodes { ${REF} }
    hops { type forward effect role evidence from { id } to { id } }
  }
}`;

const RADIUS = 14;

// Where each entity was drawn last, so that expanding keeps the picture.
const drawn = new Map();

export async function render(state) {
  const open = [state.id, ...list(state.open)].filter(Boolean);
  const tracing = state.from && state.to;
  const [hits, hood, paths] = await Promise.all([
    state.q ? query(SEARCH, { text: state.q }).then((d) => d.search) : null,
    open.length ? query(NEIGHBOURS, { ids: open }).then((d) => d.nodes) : [],
    tracing ? query(TRACE, { from: state.from, to: state.to }).then((d) => d.trace) : null,
  ]);
  const graph = build(hood, paths ?? []);
  const centre = graph.nodes.get(state.id);

  const node = h('div', { class: 'graph-view' },
    h('h1', { tabindex: -1 }, t('graph.title')),
    searchForm(state),
    hits && results(state, hits),
    graph.nodes.size > 0 && h('div', { class: 'graph-layout' },
      h('figure', { class: 'graph' },
        drawing(graph),
        h('figcaption', {}, centre ? t('graph.drawing', name(centre), graph.nodes.size, graph.edges.size) : t('graph.summary', graph.nodes.size, graph.edges.size)),
        legend(graph)),
      h('div', { class: 'graph-side' },
        traceForm(state, graph),
        paths && pathList(paths),
        textList(graph))),
  );
  const summary = graph.nodes.size ? t('graph.summary', graph.nodes.size, graph.edges.size)
    : hits ? t('graph.hits', hits.length) : t('graph.searchHint');
  return { node, title: centre ? name(centre) : t('graph.title'), summary };
}

// build gathers the entities and relationships to draw: the expanded
// entities with their neighbours, and the traced paths. An edge is keyed by
// its stored direction, so that both of its ends' views of it are one edge.
function build(expanded, paths) {
  const nodes = new Map();
  const edges = new Map();
  const addNode = (e, parent, props = {}) => {
    const n = nodes.get(e.id) ?? { ...e, parent };
    nodes.set(e.id, Object.assign(n, props));
    return n;
  };
  const addEdge = (from, type, to, label, props = {}) => {
    const key = `${from}|${type}|${to}`;
    edges.set(key, Object.assign(edges.get(key) ?? { key, from, type, to, label }, props));
  };
  for (const e of expanded.filter(Boolean)) addNode(e, null, { expanded: true });
  for (const e of expanded.filter(Boolean)) {
    for (const g of groups(e)) {
      for (const edge of g.edges) {
        addNode(edge.node, e.id);
        const [from, to] = g.out ? [e.id, edge.node.id] : [edge.node.id, e.id];
        addEdge(from, g.type, to, edge.effect ?? edge.role, { evidence: edge.evidence });
      }
    }
  }
  for (const p of paths) {
    p.nodes.forEach((n, i) => addNode(n, p.nodes[i - 1]?.id ?? null, { onPath: true }));
    for (const hop of p.hops) addEdge(hop.from.id, hop.type, hop.to.id, hop.effect ?? hop.role, { onPath: true, evidence: hop.evidence });
  }
  return { nodes, edges };
}

function searchForm(state) {
  const onsubmit = (e) => {
    e.preventDefault();
    update({ q: e.currentTarget.elements.q.value.trim() });
  };
  return h('form', { class: 'search', role: 'search', onsubmit },
    h('label', { for: 'q' }, t('graph.searchLabel')),
    h('div', { class: 'row' },
      h('input', { id: 'q', name: 'q', type: 'search', value: state.q ?? '', autocomplete: 'off', 'data-key': 'q' }),
      h('button', { type: 'submit', 'data-key': 'search' }, t('graph.search'))),
    !state.q && !state.id && h('p', { class: 'hint' }, t('graph.searchHint')));
}

// results lists the search's hits; once one is drawn they fold away.
function results(state, hits) {
  const items = hits.length
    ? h('ul', {}, hits.map(({ node: n }) => h('li', {},
      h('a', { href: link({ view: 'graph', q: state.q, id: n.id }), lang: nameLang(n), 'aria-current': n.id === state.id ? 'true' : null }, name(n)),
      ' ', typeBadge(n))))
    : h('p', {}, t('graph.noResults'));
  const heading = `${t('graph.results')} (${hits.length})`;
  if (state.id) return h('details', { class: 'results' }, h('summary', {}, heading), items);
  return h('section', { class: 'results', 'aria-labelledby': 'results-title' }, h('h2', { id: 'results-title' }, heading), items);
}

// rover is the node in the tab order.
let rover = null;

// ARROWS are the directions of the arrow keys on the drawing.
const ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

// nearest is the node closest to from in the direction dir, preferring
// those straight ahead; null when none lies that way.
function nearest(pos, from, dir) {
  if (!dir) return null;
  const a = pos.get(from);
  let best = null;
  let cost = Infinity;
  for (const [id, b] of pos) {
    const along = (b.x - a.x) * dir[0] + (b.y - a.y) * dir[1];
    const across = Math.abs((b.x - a.x) * dir[1] - (b.y - a.y) * dir[0]);
    if (id === from || along <= 0 || across > 2 * along) continue;
    if (along + 2 * across < cost) [best, cost] = [id, along + 2 * across];
  }
  return best;
}

// activate expands an entity, or opens the page of one already expanded.
function activate(n) {
  const state = current();
  if (n.expanded) go({ view: 'entity', id: n.id });
  else update({ open: [...list(state.open), n.id] });
}

function drawing(graph) {
  const nodes = [...graph.nodes.values()];
  const pos = layout(nodes, [...graph.edges.values()].map((e) => [e.from, e.to]), drawn);
  for (const [id, p] of pos) drawn.set(id, p);

  const xs = [...pos.values()].map((p) => p.x);
  const ys = [...pos.values()].map((p) => p.y);
  const pad = 90;
  const [x0, y0] = [Math.min(...xs) - pad, Math.min(...ys) - pad];
  const [w, hgt] = [Math.max(...xs) - x0 + pad, Math.max(...ys) - y0 + pad];

  const edges = [...graph.edges.values()].map((e) => {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    const d = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const [ux, uy] = [(b.x - a.x) / d, (b.y - a.y) / d];
    // An inferred relationship is dashed and says so.
    const inferred = e.evidence === 'INFERRED';
    const label = [t(e.type), e.label && t(e.label), inferred && t('INFERRED')].filter(Boolean).join(' · ');
    const classes = ['edge', e.onPath && 'on-path', inferred && 'inferred'];
    return s('g', { class: classes.filter(Boolean).join(' '), 'data-edge': e.key, 'data-evidence': e.evidence ?? null },
      s('line', {
        x1: (a.x + ux * RADIUS).toFixed(1), y1: (a.y + uy * RADIUS).toFixed(1),
        x2: (b.x - ux * (RADIUS + 4)).toFixed(1), y2: (b.y - uy * (RADIUS + 4)).toFixed(1),
        'marker-end': e.onPath ? 'url(#arrow-path)' : 'url(#arrow)',
      }),
      s('text', { x: ((a.x + b.x) / 2).toFixed(1), y: ((a.y + b.y) / 2 - 3).toFixed(1) }, label));
  });

  // One node is in the tab order at a time: the one last focused, else the
  // entity drawn; the arrow keys move to the nearest node that way.
  if (!pos.has(rover)) rover = pos.has(current().id) ? current().id : nodes[0]?.id;
  const circles = nodes.map((n) => {
    const p = pos.get(n.id);
    const label = name(n);
    const action = n.expanded ? t('graph.open', label) : t('graph.expand', label);
    const onkeydown = (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate(n);
        return;
      }
      const next = nearest(pos, n.id, ARROWS[e.key]);
      if (!next) return;
      e.preventDefault();
      e.currentTarget.ownerSVGElement.querySelector(`.node[data-id="${CSS.escape(next)}"]`)?.focus();
    };
    const onfocus = (e) => {
      rover = n.id;
      for (const g of e.currentTarget.ownerSVGElement.querySelectorAll('.node')) g.setAttribute('tabindex', g === e.currentTarget ? 0 : -1);
    };
    const classes = ['node', `t-${n.__typename}`, n.expanded && 'expanded', n.onPath && 'on-path'];
    return s('g', {
      class: classes.filter(Boolean).join(' '),
      transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`,
      tabindex: n.id === rover ? 0 : -1, role: 'button',
      'aria-label': `${action} (${t(n.__typename)})`,
      'data-id': n.id, 'data-key': `node:${n.id}`,
      onclick: () => activate(n), onkeydown, onfocus,
    },
    s('title', {}, `${label} (${t(n.__typename)})`),
    s('circle', { r: RADIUS }),
    s('text', { y: RADIUS + 14, lang: nameLang(n) }, shortName(label)));
  });

  const arrow = (id) => s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 9, markerHeight: 9, orient: 'auto' },
    s('path', { d: 'M0,0 L10,5 L0,10 z' }));
  return s('svg', { viewBox: `${x0.toFixed(0)} ${y0.toFixed(0)} ${w.toFixed(0)} ${hgt.toFixed(0)}`, role: 'group', 'aria-label': t('graph.title') },
    s('defs', {}, arrow('arrow'), arrow('arrow-path')),
    s('g', { class: 'edges' }, edges),
    s('g', { class: 'nodes' }, circles));
}

function legend(graph) {
  const present = [...new Set([...graph.nodes.values()].map((n) => n.__typename))].sort();
  return h('ul', { class: 'type-legend' }, present.map((type) => h('li', {}, typeBadge({ __typename: type }))));
}

function traceForm(state, graph) {
  const choices = [...graph.nodes.values()].sort((a, b) => name(a).localeCompare(name(b)));
  const select = (field, chosen) => h('select', { id: `trace-${field}`, name: field, required: true, 'data-key': `trace-${field}` },
    h('option', { value: '' }, t('graph.choose')),
    choices.map((n) => h('option', { value: n.id, selected: n.id === chosen, lang: nameLang(n) }, name(n))));
  const onsubmit = (e) => {
    e.preventDefault();
    const f = e.currentTarget.elements;
    update({ from: f.from.value, to: f.to.value });
  };
  return h('form', { class: 'trace', onsubmit, 'aria-labelledby': 'trace-title' },
    h('h2', { id: 'trace-title' }, t('graph.trace')),
    h('label', { for: 'trace-from' }, t('graph.from')), select('from', state.from ?? state.id),
    h('label', { for: 'trace-to' }, t('graph.to')), select('to', state.to),
    h('button', { type: 'submit', 'data-key': 'trace' }, t('graph.traceButton')),
    state.from && state.to && h('a', { href: link({ ...state, from: null, to: null }) }, t('graph.clearTrace')));
}

function pathList(paths) {
  if (!paths.length) return h('p', { class: 'paths' }, t('graph.noPath'));
  return h('section', { class: 'paths', 'aria-labelledby': 'paths-title' },
    h('h3', { id: 'paths-title' }, t('graph.paths', paths.length)),
    h('ol', {}, paths.map((p) => h('li', { class: 'path' },
      p.nodes.map((n, i) => [
        i > 0 && h('span', { class: 'rel' }, p.hops[i - 1].forward ? ` ${t(p.hops[i - 1].type)} → ` : ` ← ${t(p.hops[i - 1].type)} `),
        entityLink(n)])))));
}

// Which of the folded lists the reader opened, kept across renders.
const unfolded = new Set();

function fold(key, summary, body) {
  const ontoggle = (e) => (e.currentTarget.open ? unfolded.add(key) : unfolded.delete(key));
  return h('details', { open: unfolded.has(key), ontoggle }, h('summary', {}, summary), body);
}

// shortName cuts a long name at a word, so that the words a node shows are
// words of its accessible name, which speech input names it by.
function shortName(label) {
  if (label.length <= 32) return label;
  const head = label.slice(0, 31);
  const word = head.lastIndexOf(' ');
  return [word > 10 ? head.slice(0, word).replace(/[,;:]$/, '') : head, s('tspan', { 'aria-hidden': 'true' }, '…')];
}

// textList is the drawing in words: the entities, each with the same action
// as its node, and the relationships; folded, as they are long.
function textList(graph) {
  const nodes = [...graph.nodes.values()].sort((a, b) => name(a).localeCompare(name(b)));
  const byId = graph.nodes;
  return h('div', { class: 'text-list' },
    fold('entities', `${t('graph.entities')} (${nodes.length})`,
      h('ul', { class: 'entities' }, nodes.map((n) => h('li', {},
        entityLink(n), ' ', typeBadge(n), ' ',
        h('button', {
          type: 'button', class: 'small', onclick: () => activate(n), 'data-key': `list:${n.id}`,
          'aria-label': n.expanded ? t('graph.open', name(n)) : t('graph.expand', name(n)),
        }, n.expanded ? t('graph.openButton') : t('graph.expandButton')),
        n.onPath && h('span', { class: 'muted' }, ` (${t('graph.onPath')})`))))),
    fold('relationships', `${t('graph.relationships')} (${graph.edges.size})`,
      h('ul', { class: 'relationships' }, [...graph.edges.values()].map((e) => h('li', { class: e.onPath ? 'on-path' : null },
        entityLink(byId.get(e.from)), ' ',
        h('span', { class: 'rel' }, t(e.type), e.label && ` (${t(e.label)})`, e.evidence === 'INFERRED' && ` (${t('INFERRED')})`, ' →'), ' ',
        entityLink(byId.get(e.to)))))));
}
