// The entity page: everything about one entity, its relationships grouped by
// type with their rationales and sources, and its own sources.

import { query } from './api.js';
import { externalURL, h } from './dom.js';
import { description, has, name, nameLang, t } from './i18n.js';
import { groups, REF, selection, SOURCE, types } from './model.js';
import { entityLink, sourceLink, sourceLinks, typeBadge } from './parts.js';
import { link } from './state.js';

const ENTITY = `query Entity($id: ID!) {
  node(id: $id) {
    ... on Entity { ${REF} description descriptionFr note sources { ${SOURCE} publisher year } }
    ${selection({ withSources: true, withProps: true })}
  }
}`;

export async function render(state) {
  const { node: entity } = await query(ENTITY, { id: state.id ?? '' });
  if (!entity) {
    const missing = t('entity.missing', state.id ?? '');
    return { node: h('div', {}, h('h1', { tabindex: -1 }, t('view.entity')), h('p', {}, missing)), title: t('view.entity'), summary: missing };
  }
  const rels = groups(entity);
  const other = otherName(entity);
  const about = description(entity);
  const node = h('article', { class: 'entity' },
    h('p', { class: 'kicker' }, typeBadge(entity), ' ', h('code', {}, entity.id)),
    h('h1', { tabindex: -1, lang: nameLang(entity) }, name(entity)),
    other && h('p', { class: 'alt-name', lang: other.lang }, other.text),
    about && h('p', { class: 'description', lang: about.lang }, about.text),
    entity.note && h('p', { class: 'note' }, h('strong', {}, t('entity.note'), ': '), h('span', { lang: 'en' }, entity.note)),
    h('p', { class: 'actions' },
      h('a', { href: link({ view: 'entity', id: entity.id }), rel: 'bookmark' }, t('entity.permalink')), ' · ',
      h('a', { href: link({ view: 'graph', id: entity.id }) }, t('entity.inGraph'))),
    properties(entity),
    h('section', { 'aria-labelledby': 'rels-title' },
      h('h2', { id: 'rels-title' }, t('entity.relationships')),
      rels.length ? rels.map(group) : h('p', {}, t('entity.noRelationships'))),
    h('section', { class: 'own-sources', 'aria-labelledby': 'sources-title' },
      h('h2', { id: 'sources-title' }, t('entity.sources')),
      entity.sources.length
        ? h('ul', {}, entity.sources.map((src) => h('li', {}, sourceLink(src),
          (src.publisher || src.year) && h('span', { class: 'muted' }, ` (${[src.publisher, src.year].filter(Boolean).join(', ')})`))))
        : h('p', {}, t('entity.noSources'))),
  );
  return { node, title: name(entity), summary: t('entity.summary', name(entity), rels.length) };
}

// otherName is the name in the language the page is not in, when it differs.
function otherName(e) {
  const shown = name(e);
  const text = shown === e.name ? e.nameFr : e.name;
  return text && text !== shown ? { text, lang: shown === e.name ? 'fr' : 'en' } : null;
}

function properties(entity) {
  const rows = types[entity.__typename].props
    .filter((p) => entity[p] != null && entity[p] !== '')
    // A date known to the day, month or year is labelled as the date.
    .map((p) => [h('dt', {}, t(`prop.${p.replace(/AsKnown$/, '')}`)), h('dd', {}, value(p, entity[p]))]);
  return rows.length ? h('section', { 'aria-labelledby': 'props-title' },
    h('h2', { id: 'props-title' }, t('entity.properties')),
    h('dl', { class: 'props' }, rows)) : null;
}

// The properties whose values are enumerations, shown as words.
const ENUMS = new Set(['level', 'order', 'instrument', 'kind', 'route', 'initiator', 'ownership', 'status']);

function value(prop, v) {
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (typeof v !== 'string') return String(v);
  if (ENUMS.has(prop)) return has(v) ? t(v) : v.toLowerCase().replaceAll('_', ' ');
  const url = /^https?:\/\//.test(v) && externalURL(v);
  return url ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, v) : v;
}

// group is one relationship field: its neighbours, each with the edge's
// effect or role, evidence, rationale, caveat and sources; an inferred
// relationship is dashed.
function group(g) {
  const id = `rel-${g.field}`;
  return h('section', { class: 'group', 'aria-labelledby': id, 'data-field': g.field },
    h('h3', { id }, t(`field.${g.field}`), ' ', h('code', { class: 'rel-type' }, g.type), ` (${g.edges.length + g.more})`),
    h('ul', {}, g.edges.map((e) => h('li', { class: e.evidence?.toLowerCase(), 'data-evidence': e.evidence },
      h('p', {}, entityLink(e.node), ' ', typeBadge(e.node),
        e.effect && [' ', h('span', { class: `effect fx-${e.effect}` }, t(e.effect))],
        e.role && [' ', h('span', { class: 'role' }, t(e.role))],
        e.evidence && [' ', h('span', { class: 'evidence' }, t(e.evidence))],
        e.since && [' ', h('span', { class: 'muted' }, t('edge.since', e.since))],
        e.until && [' ', h('span', { class: 'muted' }, t('edge.until', e.until))]),
      e.rationale && h('p', { class: 'rationale', lang: 'en' }, e.rationale),
      e.note && h('p', { class: 'note', lang: 'en' }, e.note),
      e.citations && sourceLinks(e.citations.map((c) => c.source), e.citations.map((c) => c.locator))))),
    g.more > 0 && h('p', { class: 'muted' }, t('entity.more', g.more)));
}
