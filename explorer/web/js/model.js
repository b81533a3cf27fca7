// What the explorer knows of the schema beyond introspection: each entity
// type's own properties and relationship fields, with the relationship type
// a field walks and in which direction, and what each relationship type's
// edges show. model.gen.js is derived from the schema and graph/model.go.

import { edgeProps, types } from './model.gen.js';

export { types };

// REF selects what a view needs to name and link an entity.
export const REF = '__typename id name nameFr';
export const SOURCE = 'id name nameFr url';

// The most neighbours a relationship field lists: the API's largest page.
const PAGE = 100;

// selection selects, for whichever type an entity is, its relationships:
// each edge's properties and evidence, its sources with where they state it
// when withSources, and the entity at the
// other end; with withProps, the type's own properties too.
export function selection({ withSources = false, withProps = false } = {}) {
  return Object.entries(types).map(([type, { props, rels }]) => {
    const fields = Object.entries(rels).map(([field, r]) => {
      if (r.single) return `${field} { ${REF} }`;
      const edge = [edgeProps[r.type] ?? 'rationale', 'evidence', 'note', withSources && `citations { locator source { ${SOURCE} } }`].filter(Boolean).join(' ');
      return `${field}(first: ${PAGE}) { totalCount edges { ${edge} node { ${REF} } } }`;
    });
    if (withProps) fields.unshift(...props);
    return fields.length ? `... on ${type} { ${fields.join(' ')} }` : '';
  }).join(' ');
}

// groups lists an entity's relationships as fetched by selection, one group
// per field that has any, in the schema's order: the field, its relationship
// type and direction, the edges, and how many more there are than fetched.
export function groups(entity) {
  return Object.entries(types[entity.__typename]?.rels ?? {}).flatMap(([field, r]) => {
    const value = entity[field];
    if (!value) return [];
    const edges = r.single ? [{ node: value }] : value.edges;
    return edges.length ? [{ field, ...r, edges, more: r.single ? 0 : value.totalCount - edges.length }] : [];
  });
}
