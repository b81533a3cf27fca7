// Generated from the schema and graph/model.go by go test ./explorer -run ExplorerModel -update: do not edit.

// types are each entity type's own properties and relationship fields, in
// the schema's order: each field's relationship type, its direction (out
// from the entity, or in), and whether it names one neighbour.
export const types = {
  Jurisdiction: {
    props: ['code', 'country', 'level', 'order'],
    rels: {
      partOf: { type: 'PART_OF', out: true, single: true },
      parts: { type: 'PART_OF', out: false, single: false },
      ministries: { type: 'OF', out: false, single: false },
      agencies: { type: 'OF', out: false, single: false },
      holds: { type: 'HELD_BY', out: false, single: false },
      mutuals: { type: 'LOCATED_IN', out: false, single: false },
    },
  },
  Ministry: {
    props: ['minister', 'holder', 'department', 'url'],
    rels: {
      jurisdiction: { type: 'OF', out: true, single: true },
      commitments: { type: 'MANDATED', out: true, single: false },
      administers: { type: 'ADMINISTERED_BY', out: false, single: false },
      supervises: { type: 'SUPERVISED_BY', out: false, single: false },
    },
  },
  Agency: {
    props: ['url'],
    rels: {
      jurisdiction: { type: 'OF', out: true, single: true },
      administers: { type: 'ADMINISTERED_BY', out: false, single: false },
      supervises: { type: 'SUPERVISED_BY', out: false, single: false },
    },
  },
  MandateCommitment: {
    props: ['issuedAsKnown', 'outcome'],
    rels: {
      ministries: { type: 'MANDATED', out: false, single: false },
      advances: { type: 'ADVANCES', out: true, single: false },
      affects: { type: 'AFFECTS', out: true, single: false },
    },
  },
  Lever: {
    props: ['instrument'],
    rels: {
      heldBy: { type: 'HELD_BY', out: true, single: false },
      advancedBy: { type: 'ADVANCES', out: false, single: false },
      affects: { type: 'AFFECTS', out: true, single: false },
      mitigates: { type: 'MITIGATES', out: true, single: false },
      realisedBy: { type: 'REALISED_BY', out: true, single: false },
    },
  },
  Statute: {
    props: ['citation', 'enactedAsKnown', 'inForceAsKnown', 'endAsKnown', 'url'],
    rels: {
      heldBy: { type: 'HELD_BY', out: true, single: false },
      advancedBy: { type: 'ADVANCES', out: false, single: false },
      affects: { type: 'AFFECTS', out: true, single: false },
      mitigates: { type: 'MITIGATES', out: true, single: false },
      realises: { type: 'REALISED_BY', out: false, single: false },
      administrators: { type: 'ADMINISTERED_BY', out: true, single: false },
      incorporates: { type: 'INCORPORATED_UNDER', out: false, single: false },
      establishes: { type: 'ESTABLISHES', out: true, single: false },
      amends: { type: 'AMENDS', out: true, single: false },
      amendedBy: { type: 'AMENDS', out: false, single: false },
    },
  },
  Programme: {
    props: ['kind', 'budget', 'currency', 'announcedAsKnown', 'startAsKnown', 'endAsKnown', 'url'],
    rels: {
      heldBy: { type: 'HELD_BY', out: true, single: false },
      advancedBy: { type: 'ADVANCES', out: false, single: false },
      affects: { type: 'AFFECTS', out: true, single: false },
      mitigates: { type: 'MITIGATES', out: true, single: false },
      realises: { type: 'REALISED_BY', out: false, single: false },
      administrators: { type: 'ADMINISTERED_BY', out: true, single: false },
      supports: { type: 'SUPPORTED_BY', out: false, single: false },
      establishedBy: { type: 'ESTABLISHES', out: false, single: false },
    },
  },
  ProcurementProgramme: {
    props: ['announcedAsKnown', 'startAsKnown', 'endAsKnown', 'url'],
    rels: {
      heldBy: { type: 'HELD_BY', out: true, single: false },
      advancedBy: { type: 'ADVANCES', out: false, single: false },
      affects: { type: 'AFFECTS', out: true, single: false },
      mitigates: { type: 'MITIGATES', out: true, single: false },
      realises: { type: 'REALISED_BY', out: false, single: false },
      administrators: { type: 'ADMINISTERED_BY', out: true, single: false },
      contractors: { type: 'CONTRACTED_UNDER', out: false, single: false },
      establishedBy: { type: 'ESTABLISHES', out: false, single: false },
    },
  },
  MutualKind: {
    props: ['route', 'initiator'],
    rels: {
      affectedBy: { type: 'AFFECTS', out: false, single: false },
      challenges: { type: 'FACES', out: true, single: false },
      outcomes: { type: 'CLAIMS', out: true, single: false },
      mutuals: { type: 'IS_A', out: false, single: false },
    },
  },
  Mutual: {
    props: ['ownership', 'legalForm', 'founded', 'category', 'count', 'website', 'status', 'statusSinceAsKnown', 'ownershipShares'],
    rels: {
      kinds: { type: 'IS_A', out: true, single: false },
      sectors: { type: 'SERVES', out: true, single: false },
      jurisdictions: { type: 'LOCATED_IN', out: true, single: false },
      contractedUnder: { type: 'CONTRACTED_UNDER', out: true, single: false },
      supportedBy: { type: 'SUPPORTED_BY', out: true, single: false },
      incorporatedUnder: { type: 'INCORPORATED_UNDER', out: true, single: false },
      supervisedBy: { type: 'SUPERVISED_BY', out: true, single: false },
    },
  },
  Sector: {
    props: [],
    rels: {
      mutuals: { type: 'SERVES', out: false, single: false },
    },
  },
  Challenge: {
    props: [],
    rels: {
      facedBy: { type: 'FACES', out: false, single: false },
      mitigatedBy: { type: 'MITIGATES', out: false, single: false },
    },
  },
  Outcome: {
    props: [],
    rels: {
      claimedBy: { type: 'CLAIMS', out: false, single: false },
    },
  },
  Source: {
    props: ['author', 'publisher', 'year', 'publishedAsKnown', 'url'],
    rels: {},
  },
};

// edgeProps are the properties each relationship type's edges show beside
// their evidence, note and sources, as far as its connections' edges have them.
export const edgeProps = {
  PART_OF: '',
  OF: '',
  HELD_BY: 'rationale',
  MANDATED: 'role',
  ADVANCES: 'rationale',
  REALISED_BY: 'rationale',
  ESTABLISHES: 'rationale',
  AMENDS: 'rationale',
  ADMINISTERED_BY: 'since until rationale',
  SUPERVISED_BY: 'since until rationale',
  AFFECTS: 'effect rationale',
  MITIGATES: 'rationale',
  FACES: 'rationale',
  CLAIMS: 'rationale',
  IS_A: 'rationale',
  SERVES: 'rationale',
  LOCATED_IN: '',
  CONTRACTED_UNDER: 'rationale',
  SUPPORTED_BY: 'rationale',
  INCORPORATED_UNDER: 'rationale',
};
