package resolvers

import (
	"maps"

	"github.com/psmgraph/psmgraph/graph"
)

// walkField is a GraphQL field that walks a relationship: the walk, and
// whether the field names one neighbour rather than a connection.
type walkField struct {
	walk   graph.Walk
	single bool
}

func walk(t graph.RelType, dir graph.Direction) walkField {
	return walkField{walk: graph.WalkOf(t, dir)}
}

func one(t graph.RelType, dir graph.Direction) walkField {
	return walkField{walk: graph.WalkOf(t, dir), single: true}
}

// walkTo is walk restricted to the targets of one label.
func walkTo(t graph.RelType, dir graph.Direction, l graph.Label) walkField {
	return walkField{walk: graph.WalkOf(t, dir).Only(l)}
}

// walkFields maps each GraphQL type's relationship fields to their walks. The
// field resolvers and the planner of compiled reads both read it, so the two
// cannot disagree.
var walkFields = map[string]map[string]walkField{
	"Challenge": {
		"facedBy":     walk(graph.RelFaces, graph.In),
		"mitigatedBy": walk(graph.RelMitigates, graph.In),
	},
	"Jurisdiction": {
		"parts":      walk(graph.RelPartOf, graph.In),
		"ministries": walkTo(graph.RelOf, graph.In, graph.LabelMinistry),
		"agencies":   walkTo(graph.RelOf, graph.In, graph.LabelAgency),
		"holds":      walk(graph.RelHeldBy, graph.In),
		"mutuals":    walk(graph.RelLocatedIn, graph.In),
		"partOf":     one(graph.RelPartOf, graph.Out),
	},
	"Lever": measureWalks(map[string]walkField{
		"realisedBy": walk(graph.RelRealisedBy, graph.Out),
	}),
	"MandateCommitment": {
		"ministries": walk(graph.RelMandated, graph.In),
		"advances":   walk(graph.RelAdvances, graph.Out),
		"affects":    walk(graph.RelAffects, graph.Out),
	},
	"Ministry": {
		"commitments":  walk(graph.RelMandated, graph.Out),
		"administers":  walk(graph.RelAdministeredBy, graph.In),
		"supervises":   walk(graph.RelSupervisedBy, graph.In),
		"jurisdiction": one(graph.RelOf, graph.Out),
	},
	"Agency": {
		"administers":  walk(graph.RelAdministeredBy, graph.In),
		"supervises":   walk(graph.RelSupervisedBy, graph.In),
		"jurisdiction": one(graph.RelOf, graph.Out),
	},
	"Mutual": {
		"kinds":             walk(graph.RelIsA, graph.Out),
		"sectors":           walk(graph.RelServes, graph.Out),
		"jurisdictions":     walk(graph.RelLocatedIn, graph.Out),
		"contractedUnder":   walk(graph.RelContractedUnder, graph.Out),
		"supportedBy":       walk(graph.RelSupportedBy, graph.Out),
		"incorporatedUnder": walk(graph.RelIncorporatedUnder, graph.Out),
		"supervisedBy":      walk(graph.RelSupervisedBy, graph.Out),
	},
	"MutualKind": {
		"affectedBy": walk(graph.RelAffects, graph.In),
		"challenges": walk(graph.RelFaces, graph.Out),
		"outcomes":   walk(graph.RelClaims, graph.Out),
		"mutuals":    walk(graph.RelIsA, graph.In),
	},
	"Outcome": {
		"claimedBy": walk(graph.RelClaims, graph.In),
	},
	"ProcurementProgramme": realisingWalks(map[string]walkField{
		"contractors":   walk(graph.RelContractedUnder, graph.In),
		"establishedBy": walk(graph.RelEstablishes, graph.In),
	}),
	"Programme": realisingWalks(map[string]walkField{
		"supports":      walk(graph.RelSupportedBy, graph.In),
		"establishedBy": walk(graph.RelEstablishes, graph.In),
	}),
	"Sector": {
		"mutuals": walk(graph.RelServes, graph.In),
	},
	"Statute": realisingWalks(map[string]walkField{
		"incorporates": walk(graph.RelIncorporatedUnder, graph.In),
		"establishes":  walk(graph.RelEstablishes, graph.Out),
		"amends":       walk(graph.RelAmends, graph.Out),
		"amendedBy":    walk(graph.RelAmends, graph.In),
	}),
}

// measureWalks are the fields of a lever, statute or programme: who holds
// it, what advanced it, what it affects and answers, and its own.
func measureWalks(own map[string]walkField) map[string]walkField {
	fields := map[string]walkField{
		"heldBy":     walk(graph.RelHeldBy, graph.Out),
		"advancedBy": walk(graph.RelAdvances, graph.In),
		"affects":    walk(graph.RelAffects, graph.Out),
		"mitigates":  walk(graph.RelMitigates, graph.Out),
	}
	maps.Copy(fields, own)
	return fields
}

// realisingWalks are a statute's or programme's: a measure's, and the levers
// it realises and who administers it.
func realisingWalks(own map[string]walkField) map[string]walkField {
	fields := measureWalks(map[string]walkField{
		"realises":       walk(graph.RelRealisedBy, graph.In),
		"administeredBy": walkTo(graph.RelAdministeredBy, graph.Out, graph.LabelMinistry),
		"administrators": walk(graph.RelAdministeredBy, graph.Out),
	})
	maps.Copy(fields, own)
	return fields
}

// RelationshipFields lists, for each GraphQL object type, its relationship
// fields and the walk each follows: what another GraphQL layer over the same
// graph needs to expose the same fields.
func RelationshipFields() map[string]map[string]graph.Walk {
	out := make(map[string]map[string]graph.Walk, len(walkFields))
	for typ, fields := range walkFields {
		out[typ] = make(map[string]graph.Walk, len(fields))
		for name, wf := range fields {
			out[typ][name] = wf.walk
		}
	}
	return out
}

// FieldWalk returns the walk a GraphQL type's relationship field follows,
// and whether the field names one neighbour rather than a connection.
func FieldWalk(typeName, field string) (w graph.Walk, single, ok bool) {
	wf, ok := walkFields[typeName][field]
	return wf.walk, wf.single, ok
}
