// Pieces the views share: links to entities and sources, type badges.

import { externalURL, h } from './dom.js';
import { name, nameLang, t } from './i18n.js';
import { link } from './state.js';

// entityLink links to an entity's page, named in the page's language.
export const entityLink = (e) =>
  h('a', { href: link({ view: 'entity', id: e.id }), lang: nameLang(e) }, name(e));

// typeBadge names an entity's type, in its type's colour.
export const typeBadge = (e) => h('span', { class: `type t-${e.__typename}` }, t(e.__typename));

// sourceLink links to a source's document where it has one, else to its page.
export function sourceLink(source) {
  const url = externalURL(source.url);
  if (!url) return entityLink({ __typename: 'Source', ...source });
  return h('a', { href: url, class: 'source', rel: 'noopener noreferrer', target: '_blank', lang: nameLang(source) }, name(source));
}

// sourceLinks lists sources, each followed by where it states the claim
// when locators say, or nothing when there are none.
export function sourceLinks(sources, locators = []) {
  if (!sources?.length) return null;
  const cite = (s, i) => [sourceLink(s), locators[i] && h('span', { class: 'locator' }, ` (${locators[i]})`)];
  return h('p', { class: 'sources' }, t('sources'), ': ',
    sources.flatMap((s, i) => (i ? [', ', cite(s, i)] : [cite(s, i)])));
}
