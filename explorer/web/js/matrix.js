// The matrix view: levers by kinds of mutual as a heat map, filtered by
// order of government, jurisdiction and date; a selected cell shows the
// chains behind it, each step with its sources.

import { query } from './api.js';
import { h } from './dom.js';
import { name, nameLang, t } from './i18n.js';
import { REF } from './model.js';
import { edit, link, list, update } from './state.js';
import { entityLink, sourceLinks, typeBadge } from './parts.js';
import { CITE, copyButton, csvLink, hopCitations } from './cite.js';

const ORDERS = ['FEDERAL', 'PROVINCIAL', 'TERRITORIAL', 'MUNICIPAL', 'FOREIGN'];
const EFFECTS = ['ENABLES', 'FUNDS', 'REGULATES', 'CONSTRAINS'];

const MATRIX = `query Matrix($orders: [Order!], $jurisdictions: [ID!], $inEffectOn: Date, $includeUndated: Boolean, $statedOnly: Boolean) {
  influenceMatrix(orders: $orders, jurisdictions: $jurisdictions, inEffectOn: $inEffectOn, includeUndated: $includeUndated, statedOnly: $statedOnly) {
    kinds { ${REF} }
    rows { lever { ${REF} } orders cells { effect paths statedPaths } }
  }
}`;

const JURISDICTIONS = `query Jurisdictions {
  jurisdictions(first: 100) { edges { node { ${REF} order } } }
}`;

const CHAINS = `query Chains($kind: ID!, $orders: [Order!], $jurisdictions: [ID!], $inEffectOn: Date, $includeUndated: Boolean, $statedOnly: Boolean) {
  leversAffecting(kind: $kind, orders: $orders, jurisdictions: $jurisdictions, inEffectOn: $inEffectOn, includeUndated: $includeUndated, statedOnly: $statedOnly, first: 1000) {
    lever { id }
    effect
    stated
    chain {
      nodes { ${REF} }
      hops { type forward effect rationale evidence citations { locator source { ${CITE} } } }
    }
  }
}`;

export async function render(state) {
  // An empty list would ask for nothing; null asks for everything.
  const orNull = (xs) => (xs.length ? xs : null);
  const filters = {
    orders: orNull(list(state.orders).filter((o) => ORDERS.includes(o))),
    jurisdictions: orNull(list(state.jurisdiction)),
    inEffectOn: state.asOf || null,
    includeUndated: state.undated === '1',
    statedOnly: state.stated === '1',
  };
  const selected = state.lever && state.kind ? { lever: state.lever, kind: state.kind } : null;
  const [{ influenceMatrix: matrix }, { jurisdictions }, chains] = await Promise.all([
    query(MATRIX, filters),
    query(JURISDICTIONS),
    selected ? query(CHAINS, { kind: selected.kind, ...filters }) : null,
  ]);

  const node = h('div', { class: 'matrix-view' },
    h('h1', { tabindex: -1 }, t('matrix.title')),
    h('p', { class: 'intro' }, t('matrix.intro')),
    filterForm(state, jurisdictions.edges.map((e) => e.node)),
    legend(),
    matrix.rows.length ? [table(matrix, selected), h('p', {}, csvLink('psmgraph-matrix.csv', csvRows(matrix)))] : h('p', { class: 'empty' }, t('matrix.empty')),
    selected && chainsPanel(state, matrix, selected, chains.leversAffecting),
  );
  let summary = t('matrix.summary', matrix.rows.length, matrix.kinds.length);
  if (selected) summary += ' ' + t('chains.summary', node.querySelectorAll('.chain').length);
  return { node, title: t('matrix.title'), summary };
}

function filterForm(state, jurisdictions) {
  const orders = list(state.orders);
  const commit = (form, control) => edit({
    orders: [...form.querySelectorAll('[name=orders]:checked')].map((c) => c.value),
    jurisdiction: form.elements.jurisdiction.value,
    asOf: form.elements.asOf.value,
    undated: form.elements.undated.checked ? '1' : '',
    stated: form.elements.stated.checked ? '1' : '',
  }, control);
  // A date is taken when the field is left or Enter pressed, not at each
  // keystroke that makes a valid date: the view, drawn again, would reset
  // the field under the typing.
  const onchange = (e) => e.target.type !== 'date' && commit(e.currentTarget, e.target.dataset.key);
  const onfocusout = (e) => e.target.type === 'date' && e.target.value !== (state.asOf ?? '') && commit(e.currentTarget, 'asOf');
  const onsubmit = (e) => {
    e.preventDefault();
    commit(e.currentTarget, 'asOf');
  };
  return h('form', { class: 'filters', 'aria-label': t('matrix.filters'), onchange, onfocusout, onsubmit },
    h('fieldset', {},
      h('legend', {}, t('matrix.orders')),
      ORDERS.map((o) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'orders', value: o, checked: orders.includes(o), 'data-key': `order:${o}` }),
        ' ', t(o)))),
    h('label', { class: 'field' }, t('matrix.jurisdiction'),
      h('select', { name: 'jurisdiction', 'data-key': 'jurisdiction' },
        h('option', { value: '' }, t('matrix.anyJurisdiction')),
        jurisdictions.map((j) => h('option', { value: j.id, selected: j.id === state.jurisdiction, lang: nameLang(j) }, name(j))))),
    h('label', { class: 'field' }, t('matrix.asOf'),
      h('input', {
        type: 'date', name: 'asOf', value: state.asOf ?? '', 'data-key': 'asOf',
        onkeydown: (e) => e.key === 'Enter' && (e.preventDefault(), commit(e.currentTarget.form, 'asOf')),
      })),
    h('label', { class: 'check field', title: t('matrix.undatedHint') },
      h('input', { type: 'checkbox', name: 'undated', value: '1', checked: state.undated === '1', 'data-key': 'undated' }),
      ' ', t('matrix.undated')),
    h('label', { class: 'check field', title: t('matrix.statedHint') },
      h('input', { type: 'checkbox', name: 'stated', value: '1', checked: state.stated === '1', 'data-key': 'stated' }),
      ' ', t('matrix.stated')),
    h('p', { class: 'field' }, h('a', { href: link({ view: 'matrix' }) }, t('matrix.clear'))),
  );
}

function legend() {
  return h('dl', { class: 'legend', 'aria-label': t('matrix.legend') },
    EFFECTS.map((e) => [h('dt', { class: `fx-${e}` }, glyph(e)), h('dd', {}, t(e))]));
}

// glyph is the letter that stands for an effect in a cell, so that the heat
// map does not rely on colour alone.
const glyph = (effect) => t(effect).charAt(0).toUpperCase();

// table is the heat map: a grid whose cells are reached with the arrow keys,
// one of them in the tab order at a time.
function table(matrix, selected) {
  const max = Math.max(1, ...matrix.rows.flatMap((r) => r.cells.map((c) => c.paths)));
  // The cell in the tab order: the selected one, if the matrix shows it.
  const shows = (cell) => matrix.rows.some((r) => r.lever.id === cell.lever) && matrix.kinds.some((k) => k.id === cell.kind);
  const active = selected && shows(selected) ? selected : { lever: matrix.rows[0].lever.id, kind: matrix.kinds[0].id };
  const grid = h('table', { class: 'matrix', role: 'grid', onkeydown: moveFocus },
    h('caption', { class: 'sr' }, t('matrix.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('matrix.lever')),
      matrix.kinds.map((k) => h('th', { scope: 'col', lang: nameLang(k) }, entityLink(k))))),
    h('tbody', {}, matrix.rows.map((row) => h('tr', {},
      h('th', { scope: 'row' }, entityLink(row.lever), ' ', typeBadge(row.lever),
        h('span', { class: 'orders' }, row.orders.map((o) => t(o)).join(', '))),
      row.cells.map((cell, i) => {
        const kind = matrix.kinds[i];
        const here = { lever: row.lever.id, kind: kind.id };
        const is = (c) => c?.lever === here.lever && c?.kind === here.kind;
        // A cell none of whose chains is stated at every link is dashed.
        const classes = ['cell', cell.effect && `fx-${cell.effect}`, cell.paths > 0 && cell.statedPaths === 0 && 'inferred'];
        const td = h('td', {
          class: classes.filter(Boolean).join(' '),
          tabindex: is(active) ? 0 : -1,
          'aria-selected': String(is(selected)),
          'aria-label': [t('matrix.cell', name(row.lever), name(kind), cell.effect && t(cell.effect), cell.paths),
            cell.paths > 0 && t('cell.stated', cell.statedPaths)].filter(Boolean).join(', '),
          'data-stated': cell.statedPaths,
          'data-key': `cell:${here.lever}|${here.kind}`,
          'data-lever': here.lever,
          'data-kind': here.kind,
          // The effect's letter is drawn by the style sheet, so that the
          // cell's text is its count, which its accessible name begins
          // with: speech input names a control by what it shows.
          'data-glyph': cell.effect ? glyph(cell.effect) : null,
          onclick: () => update(here),
        }, cell.effect && cell.paths);
        // At most 60% of the effect's colour, so that dark text stays legible (4.5:1).
        if (cell.effect) td.style.setProperty('--weight', (0.1 + 0.5 * cell.paths / max).toFixed(2));
        return td;
      })))));
  return h('div', { class: 'scroll' }, grid);
}

// csvRows are the matrix as a table: a row per lever, its type and orders,
// then per kind of mutual the strongest effect and the numbers of chains
// and of stated chains.
function csvRows(matrix) {
  const head = ['lever', 'lever name', 'type', 'orders',
    ...matrix.kinds.flatMap((k) => [`${k.id} effect`, `${k.id} chains`, `${k.id} stated chains`])];
  return [head, ...matrix.rows.map((r) => [r.lever.id, r.lever.name, r.lever.__typename, r.orders.join(' '),
    ...r.cells.flatMap((c) => [c.effect ?? '', c.paths, c.statedPaths])])];
}

// moveFocus moves through the grid's cells with the arrow keys, Home and
// End, and selects the focused one with Enter or Space.
function moveFocus(e) {
  const cell = e.target.closest('td.cell');
  if (!cell) return;
  const row = cell.parentElement;
  const rows = [...row.parentElement.rows];
  const r = rows.indexOf(row);
  const c = [...row.cells].indexOf(cell);
  const targets = {
    ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
    Home: [r, 1], End: [r, row.cells.length - 1],
  };
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    cell.click();
    return;
  }
  if (!(e.key in targets)) return;
  e.preventDefault();
  const [tr, tc] = targets[e.key];
  const next = rows[tr]?.cells[tc];
  if (!next?.matches('td.cell')) return;
  cell.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}

function chainsPanel(state, matrix, selected, influences) {
  const lever = matrix.rows.find((r) => r.lever.id === selected.lever)?.lever;
  const kind = matrix.kinds.find((k) => k.id === selected.kind);
  const chains = influences.filter((i) => i.lever.id === selected.lever);
  const title = lever && kind ? t('chains.title', name(lever), name(kind)) : t('chains.none');
  return h('section', { class: 'chains', 'aria-labelledby': 'chains-title' },
    h('h2', { id: 'chains-title' }, title),
    // Closing gives focus back to the cell: the key is the cell's.
    h('p', {}, h('a', { href: link({ ...state, lever: null, kind: null }), 'data-key': `cell:${selected.lever}|${selected.kind}` }, t('chains.close'))),
    chains.length
      ? chainList(title, chains)
      : h('p', {}, t('chains.none')));
}

// chainList lists chains, each with its effect, its length, whether it is
// stated at every link, a button that copies its sources under title, and
// its steps; withLever names each chain's lever first.
export const chainList = (title, chains, withLever = false) => h('ol', { class: 'chain-list' }, chains.map((c) =>
  h('li', { class: c.stated ? 'chain stated' : 'chain inferred' },
    h('p', { class: 'chain-head' }, withLever && [entityLink(c.lever), ' · '],
      h('span', { class: `effect fx-${c.effect}` }, t(c.effect)), ' · ', t('chains.steps', c.chain.hops.length),
      ' · ', h('span', { class: 'evidence' }, t(c.stated ? 'chains.stated' : 'chains.inferred')),
      ' ', copyButton(`${title}: ${c.chain.nodes.map(name).join(' → ')}`, hopCitations(c.chain.hops))),
    chain(c))));

// chain lists a chain's steps, each with its relationship, effect,
// evidence, rationale and sources, each source with where it states the
// step; an inferred step is dashed.
export function chain(influence) {
  const { nodes, hops } = influence.chain;
  return h('ol', { class: 'hops' }, hops.map((hop, i) => {
    const evidence = hop.evidence ?? 'UNMARKED';
    return h('li', { class: evidence.toLowerCase(), 'data-evidence': evidence },
      h('p', {}, entityLink(nodes[i]), ' ',
        h('span', { class: 'rel' }, hop.forward ? `${t(hop.type)} →` : `← ${t(hop.type)}`), ' ',
        entityLink(nodes[i + 1]),
        hop.effect && [' ', h('span', { class: `effect fx-${hop.effect}` }, t(hop.effect))],
        ' ', h('span', { class: 'evidence' }, t(evidence))),
      hop.rationale && h('p', { class: 'rationale', lang: 'en' }, hop.rationale),
      sourceLinks(hop.citations.map((c) => c.source), hop.citations.map((c) => c.locator)));
  }));
}
