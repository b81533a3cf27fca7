// English and French: the interface's strings, and the data's names where
// the graph has them in French.

const strings = {
  en: {
    title: 'psmgraph explorer',
    skip: 'Skip to content',
    views: 'Views',
    'view.matrix': 'Matrix',
    'view.graph': 'Graph',
    'view.entity': 'Entity',
    otherLanguage: 'Français',
    loading: 'Loading…',
    'error.unreachable': (api) => `Could not reach the API at ${api}. It may be down, or not allow requests from this page's origin.`,
    'error.failed': (detail) => `The API answered with an error: ${detail}`,

    'matrix.title': 'Levers by kind of mutual',
    'matrix.intro': 'Each cell is the strongest effect of the chains that lead from a lever, statute, programme or commitment to a kind of mutual; the number counts the chains. Select a cell to see them.',
    'matrix.filters': 'Filters',
    'matrix.orders': 'Orders of government',
    'matrix.jurisdiction': 'Jurisdiction',
    'matrix.anyJurisdiction': 'Any',
    'matrix.asOf': 'In effect on',
    'matrix.clear': 'Clear filters',
    'matrix.lever': 'Lever',
    'matrix.legend': 'Legend',
    'matrix.empty': 'No lever matches these filters.',
    'matrix.summary': (rows, cols) => `${rows} levers by ${cols} kinds of mutual.`,
    'matrix.cell': (lever, kind, effect, n) => n ? `${lever} on ${kind}: ${effect}, ${n} ${n === 1 ? 'chain' : 'chains'}` : `${lever} on ${kind}: none`,
    'chains.title': (lever, kind) => `How ${lever} reaches ${kind}`,
    'chains.none': 'No chain leads from this lever to this kind of mutual.',
    'chains.summary': (n) => `${n} ${n === 1 ? 'chain' : 'chains'}.`,
    'chains.close': 'Close',
    'chains.steps': (n) => `${n} ${n === 1 ? 'step' : 'steps'}`,

    'graph.title': 'Graph',
    'graph.search': 'Search',
    'graph.searchLabel': 'Entity to search for',
    'graph.searchHint': 'Search for an entity by name, in English or French, then pick it to see its neighbourhood.',
    'graph.results': 'Results',
    'graph.noResults': 'Nothing matches.',
    'graph.hits': (n) => (n ? `${n} ${n === 1 ? 'result' : 'results'}.` : 'Nothing matches.'),
    'graph.expandButton': 'Expand',
    'graph.openButton': 'Open',
    'graph.drawing': (name, nodes, edges) => `Neighbourhood of ${name}: ${nodes} entities, ${edges} relationships. Activate an entity to expand it.`,
    'graph.summary': (nodes, edges) => `${nodes} entities, ${edges} relationships.`,
    'graph.expand': (name) => `Expand ${name}`,
    'graph.open': (name) => `Open ${name}`,
    'graph.entities': 'Entities',
    'graph.relationships': 'Relationships',
    'graph.trace': 'Trace paths',
    'graph.from': 'From',
    'graph.to': 'To',
    'graph.choose': 'Choose…',
    'graph.traceButton': 'Trace',
    'graph.clearTrace': 'Clear the trace',
    'graph.paths': (n) => `${n} ${n === 1 ? 'path' : 'paths'}, highlighted on the graph`,
    'graph.noPath': 'No path of up to four steps joins them.',
    'graph.onPath': 'on a traced path',

    'entity.missing': (id) => `No entity has the id ${id}.`,
    'entity.permalink': 'Link to this page',
    'entity.inGraph': 'Show in the graph',
    'entity.properties': 'Properties',
    'entity.relationships': 'Relationships',
    'entity.noRelationships': 'It has no relationships.',
    'entity.sources': 'Sources',
    'entity.noSources': 'No source is recorded.',
    'entity.note': 'Caveat',
    'entity.more': (n) => `and ${n} more`,
    'entity.summary': (name, groups) => `${name}: ${groups} kinds of relationship.`,
    sources: 'Sources',
    yes: 'yes',
    no: 'no',

    Jurisdiction: 'Jurisdiction', Ministry: 'Ministry', MandateCommitment: 'Mandate commitment',
    Lever: 'Lever', Statute: 'Statute', Programme: 'Programme', ProcurementProgramme: 'Procurement programme',
    MutualKind: 'Kind of mutual', Mutual: 'Mutual', Sector: 'Sector', Challenge: 'Challenge',
    Outcome: 'Outcome', Source: 'Source',

    ENABLES: 'enables', FUNDS: 'funds', REGULATES: 'regulates', CONSTRAINS: 'constrains',
    FEDERAL: 'Federal', PROVINCIAL: 'Provincial', TERRITORIAL: 'Territorial', MUNICIPAL: 'Municipal', FOREIGN: 'Foreign',
    LEAD: 'lead', SUPPORT: 'support',

    PART_OF: 'part of', OF: 'of', HELD_BY: 'held by', MANDATED: 'mandated', ADVANCES: 'advances',
    REALISED_BY: 'realised by', ADMINISTERED_BY: 'administered by', AFFECTS: 'affects', MITIGATES: 'mitigates',
    FACES: 'faces', CLAIMS: 'claims', IS_A: 'is a', SERVES: 'serves', LOCATED_IN: 'located in',
    CONTRACTED_UNDER: 'contracted under', SUPPORTED_BY: 'supported by', INCORPORATED_UNDER: 'incorporated under',

    'field.partOf': 'Part of', 'field.parts': 'Parts', 'field.ministries': 'Ministries', 'field.holds': 'Holds',
    'field.mutuals': 'Mutuals', 'field.jurisdiction': 'Jurisdiction', 'field.commitments': 'Mandate commitments',
    'field.administers': 'Administers', 'field.advances': 'Advances', 'field.affects': 'Affects',
    'field.heldBy': 'Held by', 'field.advancedBy': 'Advanced by', 'field.mitigates': 'Answers',
    'field.realisedBy': 'Realised by', 'field.realises': 'Realises', 'field.administeredBy': 'Administered by',
    'field.incorporates': 'Incorporates', 'field.supports': 'Supports', 'field.contractors': 'Contractors',
    'field.affectedBy': 'Affected by', 'field.challenges': 'Challenges', 'field.outcomes': 'Outcomes',
    'field.kinds': 'Kinds', 'field.sectors': 'Sectors', 'field.jurisdictions': 'Jurisdictions',
    'field.contractedUnder': 'Contracted under', 'field.supportedBy': 'Supported by',
    'field.incorporatedUnder': 'Incorporated under', 'field.facedBy': 'Faced by',
    'field.mitigatedBy': 'Answered by', 'field.claimedBy': 'Claimed by',

    'prop.code': 'Code', 'prop.country': 'Country', 'prop.level': 'Level', 'prop.order': 'Order of government',
    'prop.minister': 'Minister', 'prop.holder': 'Held by', 'prop.department': 'Department', 'prop.url': 'Web page',
    'prop.issued': 'Issued', 'prop.outcome': 'What became of it', 'prop.instrument': 'Instrument',
    'prop.citation': 'Citation', 'prop.enacted': 'Enacted', 'prop.inForce': 'In force', 'prop.end': 'Ended',
    'prop.kind': 'Kind', 'prop.budget': 'Budget', 'prop.currency': 'Currency', 'prop.announced': 'Announced',
    'prop.start': 'Started', 'prop.route': 'Route', 'prop.initiator': 'Started by', 'prop.ownership': 'Ownership',
    'prop.legalForm': 'Legal form', 'prop.founded': 'Founded', 'prop.category': 'A category of organizations',
    'prop.count': 'Organizations', 'prop.website': 'Website', 'prop.author': 'Author',
    'prop.publisher': 'Publisher', 'prop.year': 'Year', 'prop.published': 'Published',
  },
  fr: {
    title: 'Explorateur psmgraph',
    skip: 'Aller au contenu',
    views: 'Vues',
    'view.matrix': 'Matrice',
    'view.graph': 'Graphe',
    'view.entity': 'Entité',
    otherLanguage: 'English',
    loading: 'Chargement…',
    'error.unreachable': (api) => `L'API à ${api} ne répond pas. Elle est peut-être arrêtée, ou n'accepte pas les requêtes de l'origine de cette page.`,
    'error.failed': (detail) => `L'API a répondu par une erreur : ${detail}`,

    'matrix.title': 'Leviers par type de mutuelle',
    'matrix.intro': 'Chaque case donne l\'effet le plus fort des chaînes qui mènent d\'un levier, d\'une loi, d\'un programme ou d\'un engagement à un type de mutuelle ; le nombre compte les chaînes. Choisissez une case pour les voir.',
    'matrix.filters': 'Filtres',
    'matrix.orders': 'Ordres de gouvernement',
    'matrix.jurisdiction': 'Juridiction',
    'matrix.anyJurisdiction': 'Toutes',
    'matrix.asOf': 'En vigueur le',
    'matrix.clear': 'Effacer les filtres',
    'matrix.lever': 'Levier',
    'matrix.legend': 'Légende',
    'matrix.empty': 'Aucun levier ne correspond à ces filtres.',
    'matrix.summary': (rows, cols) => `${rows} leviers par ${cols} types de mutuelle.`,
    'matrix.cell': (lever, kind, effect, n) => n ? `${lever} sur ${kind} : ${effect}, ${n} ${n === 1 ? 'chaîne' : 'chaînes'}` : `${lever} sur ${kind} : aucun effet`,
    'chains.title': (lever, kind) => `Comment ${lever} atteint ${kind}`,
    'chains.none': 'Aucune chaîne ne mène de ce levier à ce type de mutuelle.',
    'chains.summary': (n) => `${n} ${n === 1 ? 'chaîne' : 'chaînes'}.`,
    'chains.close': 'Fermer',
    'chains.steps': (n) => `${n} ${n === 1 ? 'étape' : 'étapes'}`,

    'graph.title': 'Graphe',
    'graph.search': 'Rechercher',
    'graph.searchLabel': 'Entité à rechercher',
    'graph.searchHint': 'Cherchez une entité par son nom, en français ou en anglais, puis choisissez-la pour voir son voisinage.',
    'graph.results': 'Résultats',
    'graph.noResults': 'Aucun résultat.',
    'graph.hits': (n) => (n ? `${n} ${n === 1 ? 'résultat' : 'résultats'}.` : 'Aucun résultat.'),
    'graph.expandButton': 'Déployer',
    'graph.openButton': 'Ouvrir',
    'graph.drawing': (name, nodes, edges) => `Voisinage de ${name} : ${nodes} entités, ${edges} relations. Activez une entité pour la déployer.`,
    'graph.summary': (nodes, edges) => `${nodes} entités, ${edges} relations.`,
    'graph.expand': (name) => `Déployer ${name}`,
    'graph.open': (name) => `Ouvrir ${name}`,
    'graph.entities': 'Entités',
    'graph.relationships': 'Relations',
    'graph.trace': 'Tracer les chemins',
    'graph.from': 'De',
    'graph.to': 'À',
    'graph.choose': 'Choisir…',
    'graph.traceButton': 'Tracer',
    'graph.clearTrace': 'Effacer le tracé',
    'graph.paths': (n) => `${n} ${n === 1 ? 'chemin' : 'chemins'}, en surbrillance sur le graphe`,
    'graph.noPath': 'Aucun chemin de quatre étapes au plus ne les relie.',
    'graph.onPath': 'sur un chemin tracé',

    'entity.missing': (id) => `Aucune entité n'a l'identifiant ${id}.`,
    'entity.permalink': 'Lien vers cette page',
    'entity.inGraph': 'Voir dans le graphe',
    'entity.properties': 'Propriétés',
    'entity.relationships': 'Relations',
    'entity.noRelationships': 'Elle n\'a aucune relation.',
    'entity.sources': 'Sources',
    'entity.noSources': 'Aucune source n\'est indiquée.',
    'entity.note': 'Mise en garde',
    'entity.more': (n) => `et ${n} de plus`,
    'entity.summary': (name, groups) => `${name} : ${groups} types de relation.`,
    sources: 'Sources',
    yes: 'oui',
    no: 'non',

    Jurisdiction: 'Juridiction', Ministry: 'Ministère', MandateCommitment: 'Engagement de mandat',
    Lever: 'Levier', Statute: 'Loi', Programme: 'Programme', ProcurementProgramme: 'Programme d\'approvisionnement',
    MutualKind: 'Type de mutuelle', Mutual: 'Mutuelle', Sector: 'Secteur', Challenge: 'Défi',
    Outcome: 'Résultat', Source: 'Source',

    ENABLES: 'permet', FUNDS: 'finance', REGULATES: 'encadre', CONSTRAINS: 'contraint',
    FEDERAL: 'Fédéral', PROVINCIAL: 'Provincial', TERRITORIAL: 'Territorial', MUNICIPAL: 'Municipal', FOREIGN: 'Étranger',
    LEAD: 'responsable', SUPPORT: 'soutien',

    PART_OF: 'fait partie de', OF: 'relève de', HELD_BY: 'détenu par', MANDATED: 'chargé de', ADVANCES: 'fait avancer',
    REALISED_BY: 'concrétisé par', ADMINISTERED_BY: 'administré par', AFFECTS: 'influe sur', MITIGATES: 'atténue',
    FACES: 'fait face à', CLAIMS: 'revendique', IS_A: 'est un', SERVES: 'sert', LOCATED_IN: 'situé dans',
    CONTRACTED_UNDER: 'sous contrat au titre de', SUPPORTED_BY: 'soutenu par', INCORPORATED_UNDER: 'constitué en vertu de',

    'field.partOf': 'Fait partie de', 'field.parts': 'Composantes', 'field.ministries': 'Ministères', 'field.holds': 'Détient',
    'field.mutuals': 'Mutuelles', 'field.jurisdiction': 'Juridiction', 'field.commitments': 'Engagements de mandat',
    'field.administers': 'Administre', 'field.advances': 'Fait avancer', 'field.affects': 'Influe sur',
    'field.heldBy': 'Détenu par', 'field.advancedBy': 'Promu par', 'field.mitigates': 'Répond à',
    'field.realisedBy': 'Concrétisé par', 'field.realises': 'Concrétise', 'field.administeredBy': 'Administré par',
    'field.incorporates': 'Constitue', 'field.supports': 'Soutient', 'field.contractors': 'Prestataires',
    'field.affectedBy': 'Influencé par', 'field.challenges': 'Défis', 'field.outcomes': 'Résultats',
    'field.kinds': 'Types', 'field.sectors': 'Secteurs', 'field.jurisdictions': 'Juridictions',
    'field.contractedUnder': 'Sous contrat au titre de', 'field.supportedBy': 'Soutenu par',
    'field.incorporatedUnder': 'Constitué en vertu de', 'field.facedBy': 'Rencontré par',
    'field.mitigatedBy': 'Atténué par', 'field.claimedBy': 'Revendiqué par',

    'prop.code': 'Code', 'prop.country': 'Pays', 'prop.level': 'Niveau', 'prop.order': 'Ordre de gouvernement',
    'prop.minister': 'Ministre', 'prop.holder': 'Titulaire', 'prop.department': 'Ministère', 'prop.url': 'Page web',
    'prop.issued': 'Publié le', 'prop.outcome': 'Suites', 'prop.instrument': 'Instrument',
    'prop.citation': 'Référence', 'prop.enacted': 'Adoptée le', 'prop.inForce': 'En vigueur le', 'prop.end': 'Fin',
    'prop.kind': 'Nature', 'prop.budget': 'Budget', 'prop.currency': 'Devise', 'prop.announced': 'Annoncé le',
    'prop.start': 'Début', 'prop.route': 'Voie', 'prop.initiator': 'Lancée par', 'prop.ownership': 'Propriété',
    'prop.legalForm': 'Forme juridique', 'prop.founded': 'Fondée en', 'prop.category': 'Catégorie d\'organisations',
    'prop.count': 'Organisations', 'prop.website': 'Site web', 'prop.author': 'Auteur',
    'prop.publisher': 'Éditeur', 'prop.year': 'Année', 'prop.published': 'Publié le',
  },
};

// lang is the page's language: ?lang=fr, else English.
export const lang = () => (new URLSearchParams(location.search).get('lang') === 'fr' ? 'fr' : 'en');

// t returns the string of key in the page's language; a string given
// arguments is a function of them.
export function t(key, ...args) {
  const s = strings[lang()][key] ?? strings.en[key] ?? key;
  return typeof s === 'function' ? s(...args) : s;
}

// has reports whether key is a known string, for enumeration values.
export const has = (key) => key in strings.en;

// name is an entity's name in the page's language, falling back to English.
export const name = (e) => (lang() === 'fr' && e.nameFr) || e.name;

// nameLang is the language name(e) is in, for the lang attribute.
export const nameLang = (e) => (lang() === 'fr' && e.nameFr ? 'fr' : 'en');

// description is an entity's description in the page's language, with its
// language, or null.
export function description(e) {
  if (lang() === 'fr' && e.descriptionFr) return { text: e.descriptionFr, lang: 'fr' };
  return e.description ? { text: e.description, lang: 'en' } : null;
}
