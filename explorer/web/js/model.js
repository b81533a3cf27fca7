// What the explorer knows of the schema: each entity type's own properties
// and relationship fields, with the relationship type a field walks and in
// which direction. Introspection would give the fields, but not the
// relationship behind each; resolvers/walkfields.go is the server's side.

const rel = (type, out, single = false) => ({ type, out, single });
const OUT = true;
const IN = false;

const measure = {
  heldBy: rel('HELD_BY', OUT),
  advancedBy: rel('ADVANCES', IN),
  affects: rel('AFFECTS', OUT),
  mitigates: rel('MITIGATES', OUT),
};
const realising = { ...measure, realises: rel('REALISED_BY', IN), administrators: rel('ADMINISTERED_BY', OUT) };

export const types = {
  Jurisdiction: {
    props: ['code', 'country', 'level', 'order'],
    rels: {
      partOf: rel('PART_OF', OUT, true), parts: rel('PART_OF', IN), ministries: rel('OF', IN), agencies: rel('OF', IN),
      holds: rel('HELD_BY', IN), mutuals: rel('LOCATED_IN', IN),
    },
  },
  Ministry: {
    props: ['minister', 'holder', 'department', 'url'],
    rels: { jurisdiction: rel('OF', OUT, true), commitments: rel('MANDATED', OUT), administers: rel('ADMINISTERED_BY', IN), supervises: rel('SUPERVISED_BY', IN) },
  },
  Agency: {
    props: ['url'],
    rels: { jurisdiction: rel('OF', OUT, true), administers: rel('ADMINISTERED_BY', IN), supervises: rel('SUPERVISED_BY', IN) },
  },
  MandateCommitment: {
    props: ['issued', 'outcome'],
    rels: { ministries: rel('MANDATED', IN), advances: rel('ADVANCES', OUT), affects: rel('AFFECTS', OUT) },
  },
  Lever: { props: ['instrument'], rels: { ...measure, realisedBy: rel('REALISED_BY', OUT) } },
  Statute: {
    props: ['citation', 'enacted', 'inForce', 'end', 'url'],
    rels: {
      ...realising, incorporates: rel('INCORPORATED_UNDER', IN),
      establishes: rel('ESTABLISHES', OUT), amends: rel('AMENDS', OUT), amendedBy: rel('AMENDS', IN),
    },
  },
  Programme: {
    props: ['kind', 'budget', 'currency', 'announced', 'start', 'end', 'url'],
    rels: { ...realising, supports: rel('SUPPORTED_BY', IN), establishedBy: rel('ESTABLISHES', IN) },
  },
  ProcurementProgramme: {
    props: ['announced', 'start', 'end', 'url'],
    rels: { ...realising, contractors: rel('CONTRACTED_UNDER', IN), establishedBy: rel('ESTABLISHES', IN) },
  },
  MutualKind: {
    props: ['route', 'initiator'],
    rels: { affectedBy: rel('AFFECTS', IN), challenges: rel('FACES', OUT), outcomes: rel('CLAIMS', OUT), mutuals: rel('IS_A', IN) },
  },
  Mutual: {
    props: ['ownership', 'ownershipShares', 'status', 'statusSinceAsKnown', 'legalForm', 'founded', 'category', 'count', 'website'],
    rels: {
      kinds: rel('IS_A', OUT), sectors: rel('SERVES', OUT), jurisdictions: rel('LOCATED_IN', OUT),
      contractedUnder: rel('CONTRACTED_UNDER', OUT), supportedBy: rel('SUPPORTED_BY', OUT), incorporatedUnder: rel('INCORPORATED_UNDER', OUT),
      supervisedBy: rel('SUPERVISED_BY', OUT),
    },
  },
  Sector: { props: [], rels: { mutuals: rel('SERVES', IN) } },
  Challenge: { props: [], rels: { facedBy: rel('FACES', IN), mitigatedBy: rel('MITIGATES', IN) } },
  Outcome: { props: [], rels: { claimedBy: rel('CLAIMS', IN) } },
  Source: { props: ['author', 'publisher', 'year', 'published', 'url'], rels: {} },
};

// The properties of a relationship type's edges, besides sources and note.
const edgeProps = {
  AFFECTS: 'effect rationale', MANDATED: 'role',
  ADMINISTERED_BY: 'rationale since until', SUPERVISED_BY: 'rationale since until',
};

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
