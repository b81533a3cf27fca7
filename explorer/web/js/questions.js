// The analysts' questions, each a view whose state is in the URL:
//
//   ?view=gaps&kind=kind:spin-out&jurisdiction=jurisdiction:ca,jurisdiction:ca-on&stated=1
//   ?view=compare&left=jurisdiction:gb&right=FEDERAL,PROVINCIAL&stated=1
//   ?view=impact&id=lever:on-procurement&stated=1
//
// Every link is shown with its evidence and sources, and every answer can
// be copied as a reference list.

import { query } from './api.js';
import { h } from './dom.js';
import { name, nameLang, t } from './i18n.js';
import { CITE, copyButton } from './cite.js';
import { REF } from './model.js';
import { edit, list } from './state.js';
import { entityLink, sourceLinks, typeBadge } from './parts.js';
import { chainList } from './matrix.js';

const ORDERS = ['FEDERAL', 'PROVINCIAL', 'TERRITORIAL', 'MUNICIPAL', 'FOREIGN'];

const HOP = `type forward effect rationale evidence citations { locator source { ${CITE} } }`;
const INFLUENCE = `lever { ${REF} } effect stated chain { nodes { ${REF} } hops { ${HOP} } }`;

const CHOICES = `query Choices {
  mutualKinds(first: 100) { edges { node { ${REF} } } }
  jurisdictions(first: 100) { edges { node { ${REF} order } } }
}`;

const nodes = (connection) => connection.edges.map((e) => e.node);

// heading is a view's title, introduction and form.
const heading = (view, form) => [
  h('h1', { tabindex: -1 }, t(`${view}.title`)),
  h('p', { class: 'intro' }, t(`${view}.intro`)),
  form,
];

// statedBox is the checkbox that keeps only stated links.
const statedBox = (state) => h('label', { class: 'check field', title: t('matrix.statedHint') },
  h('input', { type: 'checkbox', name: 'stated', value: '1', checked: state.stated === '1', 'data-key': 'stated' }),
  ' ', t('matrix.stated'));

// form is a view's form: a change of a control changes its value in the
// URL, and nothing else, so that a value no control shows stays.
const form = (label, changes, ...controls) => h('form', {
  class: 'filters', 'aria-label': label,
  onchange: (e) => {
    const field = e.target.name;
    edit({ [field]: changes(e.currentTarget)[field] }, e.target.dataset.key);
  },
  onsubmit: (e) => e.preventDefault(),
}, controls);

// select offers entities, or other options, by value; a value the URL
// holds that no option has is offered too, as labelled.
const select = (label, key, value, options, labelled = (v) => v) => h('label', { class: 'field' }, label,
  h('select', { name: key, 'data-key': key },
    h('option', { value: '' }, t('choose')),
    value && !options.some((o) => o.value === value) && h('option', { value, selected: true }, labelled(value)),
    options.map((o) => h('option', { value: o.value, selected: o.value === value, lang: o.lang }, o.label))));

const entityOption = (e) => ({ value: e.id, label: name(e), lang: nameLang(e) });

// influences lists chains, each led by its lever.
const influences = (title, chains) => chainList(title, chains, true);

// linkDetail shows a relationship's evidence, rationale and sources.
const linkDetail = (hop) => {
  const evidence = hop.evidence ?? 'UNMARKED';
  return [
    h('span', { class: 'evidence' }, t(evidence)),
    hop.rationale && h('p', { class: 'rationale', lang: 'en' }, hop.rationale),
    sourceLinks(hop.citations.map((c) => c.source), hop.citations.map((c) => c.locator)),
  ];
};

const GAPS = `query Gaps($kind: ID!, $jurisdictions: [ID!]!, $statedOnly: Boolean) {
  gaps(kind: $kind, jurisdictions: $jurisdictions, statedOnly: $statedOnly) {
    challenge { ${REF} }
    faces { ${HOP} }
    unaddressed
    mitigations { measure { ${REF} } mitigates { ${HOP} } heldBy { to { ${REF} } ${HOP} } }
  }
}`;

export const gaps = {
  async render(state) {
    const { mutualKinds, jurisdictions } = await query(CHOICES);
    const chosen = list(state.jurisdiction);
    const ready = state.kind && chosen.length;
    const answer = ready ? (await query(GAPS, { kind: state.kind, jurisdictions: chosen, statedOnly: state.stated === '1' })).gaps : null;
    const kind = nodes(mutualKinds).find((k) => k.id === state.kind) ?? { __typename: 'MutualKind', id: state.kind, name: state.kind };
    const controls = form(t('gaps.title'), (f) => ({
      kind: f.elements.kind.value,
      // An id the boxes do not show stays chosen.
      jurisdiction: [...chosen.filter((id) => !nodes(jurisdictions).some((j) => j.id === id)),
        ...[...f.querySelectorAll('[name=jurisdiction]:checked')].map((c) => c.value)],
      stated: f.elements.stated.checked ? '1' : '',
    }),
    select(t('gaps.kind'), 'kind', state.kind, nodes(mutualKinds).map(entityOption)),
    h('fieldset', {}, h('legend', {}, t('gaps.jurisdictions')),
      nodes(jurisdictions).map((j) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'jurisdiction', value: j.id, checked: chosen.includes(j.id), 'data-key': `jurisdiction:${j.id}` }),
        ' ', h('span', { lang: nameLang(j) }, name(j))))),
    statedBox(state));
    const open = answer ? answer.filter((g) => g.unaddressed).length : 0;
    const node = h('div', { class: 'question' }, heading('gaps', controls),
      !ready ? h('p', { class: 'empty' }, t('gaps.ask'))
        : !answer.length ? h('p', { class: 'empty' }, t('gaps.none'))
          : h('ol', { class: 'answers' }, answer.map((g) => {
            const title = `${name(kind)}: ${name(g.challenge)}`;
            const citations = [...g.faces.citations, ...g.mitigations.flatMap((m) => [...m.mitigates.citations, ...m.heldBy.flatMap((hb) => hb.citations)])];
            return h('li', { class: g.unaddressed ? 'gap unaddressed' : 'gap', 'data-challenge': g.challenge.id },
              h('h2', {}, entityLink(g.challenge), ' ', h('span', { class: 'status' }, t(g.unaddressed ? 'gaps.unaddressed' : 'gaps.addressed', g.mitigations.length))),
              h('div', { class: 'link' }, h('p', {}, entityLink(kind), ' ', h('span', { class: 'rel' }, `${t('FACES')} →`), ' ', entityLink(g.challenge)), linkDetail(g.faces)),
              g.mitigations.length > 0 && h('ul', { class: 'mitigations' }, g.mitigations.map((m) => h('li', { 'data-measure': m.measure.id },
                h('p', {}, entityLink(m.measure), ' ', typeBadge(m.measure), ' ', h('span', { class: 'rel' }, `${t('MITIGATES')} →`), ' ',
                  t('gaps.heldBy', m.heldBy.map((hb) => name(hb.to)).join(', '))),
                linkDetail(m.mitigates)))),
              h('p', {}, copyButton(title, citations)));
          })));
    const summary = ready ? t('gaps.summary', answer.length, open) : t('gaps.ask');
    return { node, title: t('gaps.title'), summary };
  },
};

const COMPARE = `query Compare($left: SideInput!, $right: SideInput!, $statedOnly: Boolean) {
  compare(left: $left, right: $right, statedOnly: $statedOnly) {
    kind { ${REF} }
    leftOnly { effect means chainCount chains { ${INFLUENCE} } }
    rightOnly { effect means chainCount chains { ${INFLUENCE} } }
    both { effect means }
  }
}`;

// side reads a side of a comparison from the URL: orders of government and
// jurisdictions' ids, comma-separated.
const side = (value) => {
  const items = list(value);
  return { orders: items.filter((i) => ORDERS.includes(i)), jurisdictions: items.filter((i) => !ORDERS.includes(i)) };
};

export const compare = {
  async render(state) {
    const { jurisdictions } = await query(CHOICES);
    const options = [...ORDERS.map((o) => ({ value: o, label: t(o) })), ...nodes(jurisdictions).map(entityOption)];
    const label = (value) => options.find((o) => o.value === value)?.label ?? value;
    const sideLabel = (value) => list(value).map(label).join(', ');
    const ready = state.left && state.right;
    const answer = ready ? (await query(COMPARE, { left: side(state.left), right: side(state.right), statedOnly: state.stated === '1' })).compare : null;
    const controls = form(t('compare.title'), (f) => ({
      left: f.elements.left.value, right: f.elements.right.value, stated: f.elements.stated.checked ? '1' : '',
    }),
    select(t('compare.left'), 'left', state.left, options, sideLabel),
    select(t('compare.right'), 'right', state.right, options, sideLabel),
    statedBox(state));
    const [l, r] = ready ? [sideLabel(state.left), sideLabel(state.right)] : [];
    const differences = (which, title, diffs) => diffs.length > 0 && h('section', { 'data-side': which },
      h('h3', {}, title),
      h('ul', { class: 'differences' }, diffs.map((d) => h('li', { 'data-bearing': `${d.effect} ${d.means}` },
        h('p', {}, h('span', { class: `effect fx-${d.effect}` }, t(d.effect)), ' ', t('compare.through', t(`means.${d.means}`)),
          d.chainCount > d.chains.length && [' · ', t('compare.firstOf', d.chains.length, d.chainCount)]),
        influences(title, d.chains)))));
    const node = h('div', { class: 'question' }, heading('compare', controls),
      !ready ? h('p', { class: 'empty' }, t('compare.ask'))
        : h('ol', { class: 'answers' }, answer.map((c) => h('li', { 'data-kind': c.kind.id },
          h('h2', {}, entityLink(c.kind)),
          differences('left', t('compare.only', l), c.leftOnly),
          differences('right', t('compare.only', r), c.rightOnly),
          c.both.length > 0 && h('p', { class: 'both' }, t('compare.both'), ': ',
            c.both.map((b) => `${t(b.effect)} ${t('compare.through', t(`means.${b.means}`))}`).join('; ')),
          !c.leftOnly.length && !c.rightOnly.length && h('p', { class: 'empty' }, t('compare.same'))))));
    const count = answer ? answer.reduce((n, c) => n + c.leftOnly.length + c.rightOnly.length, 0) : 0;
    return { node, title: t('compare.title'), summary: ready ? t('compare.summary', count) : t('compare.ask') };
  },
};

const MEASURES = `query Measures {
  levers(first: 100) { edges { node { ${REF} } } }
  statutes(first: 100) { edges { node { ${REF} } } }
  programmes(first: 100) { edges { node { ${REF} } } }
  procurementProgrammes(first: 100) { edges { node { ${REF} } } }
  mandateCommitments(first: 100) { edges { node { ${REF} } } }
}`;

const IMPACT = `query Impact($id: ID!, $statedOnly: Boolean) {
  impact(id: $id, statedOnly: $statedOnly) {
    chains { ${INFLUENCE} }
    losses { kind { ${REF} } jurisdiction { ${REF} } chains { ${INFLUENCE} } }
  }
}`;

export const impact = {
  async render(state) {
    const measures = await query(MEASURES);
    const all = Object.values(measures).flatMap(nodes);
    const measure = state.id ? all.find((m) => m.id === state.id) ?? { id: state.id, name: state.id } : null;
    const answer = measure ? (await query(IMPACT, { id: measure.id, statedOnly: state.stated === '1' })).impact : null;
    const controls = form(t('impact.title'), (f) => ({ id: f.elements.id.value, stated: f.elements.stated.checked ? '1' : '' }),
      h('label', { class: 'field' }, t('impact.measure'),
        h('select', { name: 'id', 'data-key': 'id' },
          h('option', { value: '' }, t('choose')),
          measure && !all.includes(measure) && h('option', { value: measure.id, selected: true }, measure.id),
          Object.entries(measures).map(([field, connection]) => h('optgroup', { label: t(`group.${field}`) },
            nodes(connection).map((m) => h('option', { value: m.id, selected: m.id === state.id, lang: nameLang(m) }, name(m))))))),
      statedBox(state));
    const node = h('div', { class: 'question' }, heading('impact', controls),
      !answer ? h('p', { class: 'empty' }, t('impact.ask')) : [
        h('h2', {}, t('impact.losses', name(measure))),
        answer.losses.length
          ? h('ol', { class: 'answers' }, answer.losses.map((loss) => h('li', { 'data-loss': `${loss.kind.id} ${loss.jurisdiction.id}` },
            h('h3', {}, t('impact.loss', name(loss.kind), name(loss.jurisdiction))),
            influences(t('impact.loss', name(loss.kind), name(loss.jurisdiction)), loss.chains))))
          : h('p', { class: 'empty' }, t('impact.noLoss')),
        h('h2', {}, t('impact.chains', answer.chains.length)),
        influences(name(measure), answer.chains),
      ]);
    const summary = answer ? t('impact.summary', answer.chains.length, answer.losses.length) : t('impact.ask');
    return { node, title: t('impact.title'), summary };
  },
};
