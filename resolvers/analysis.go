package resolvers

import (
	"context"
	"slices"

	"github.com/psmgraph/psmgraph/graph"
)

// maxPaths caps how many paths a trace returns; maxInfluences how many
// chains leversAffecting does.
const (
	maxPaths      = 50
	maxInfluences = 1000
)

// Hop is one relationship on a path, with the nodes it joins.
type Hop struct {
	Type     RelationshipType
	From, To graph.Node
	Forward  bool
	graph.EdgeProps
}

// The GraphQL names of the entity types, by label.
var labelOfType = map[EntityType]graph.Label{
	EntityTypeJurisdiction:         graph.LabelJurisdiction,
	EntityTypeMinistry:             graph.LabelMinistry,
	EntityTypeAgency:               graph.LabelAgency,
	EntityTypeMandateCommitment:    graph.LabelMandateCommitment,
	EntityTypeLever:                graph.LabelLever,
	EntityTypeStatute:              graph.LabelStatute,
	EntityTypeProgramme:            graph.LabelProgramme,
	EntityTypeProcurementProgramme: graph.LabelProcurementProgramme,
	EntityTypeMutualKind:           graph.LabelMutualKind,
	EntityTypeMutual:               graph.LabelMutual,
	EntityTypeSector:               graph.LabelSector,
	EntityTypeChallenge:            graph.LabelChallenge,
	EntityTypeOutcome:              graph.LabelOutcome,
	EntityTypeSource:               graph.LabelSource,
}

// TypeOfLabel is the entity type of a label.
func TypeOfLabel(l graph.Label) EntityType {
	for t, label := range labelOfType {
		if label == l {
			return t
		}
	}
	return ""
}

// LabelOfType is the label of an entity type, or "" for none.
func LabelOfType(t EntityType) graph.Label { return labelOfType[t] }

// LimitArg checks a first argument that bounds a plain list.
func LimitArg(first *int, fallback int) (int, error) {
	if first == nil {
		return fallback, nil
	}
	if *first < 1 || *first > MaxFirst {
		return 0, graph.Errorf(graph.CodeBadInput, "first must be between 1 and %d", MaxFirst)
	}
	return *first, nil
}

func orderOf(country, level string) Order { return Order(graph.OrderOf(country, level)) }

func orderStrings(orders []Order) []string {
	out := make([]string, len(orders))
	for i, o := range orders {
		out[i] = string(o)
	}
	return out
}

func toOrders(orders []string) []Order {
	out := make([]Order, len(orders))
	for i, o := range orders {
		out[i] = Order(o)
	}
	return out
}

// toPath gives a path's hops the nodes they join.
func toPath(p graph.Path) *Path {
	byID := make(map[string]graph.Node, len(p.Nodes))
	for _, n := range p.Nodes {
		byID[n.GetID()] = n
	}
	out := &Path{Length: len(p.Hops), Nodes: p.Nodes, Hops: make([]Hop, len(p.Hops))}
	for i, h := range p.Hops {
		out.Hops[i] = Hop{Type: RelationshipType(h.Type), From: byID[h.From], To: byID[h.To], Forward: h.Forward, EdgeProps: h.EdgeProps}
	}
	return out
}

// strength ranks effects, strongest first, as the Effect enum lists them.
func strength(Effect string) int {
	if i := slices.Index(graph.Effects, Effect); i >= 0 {
		return i
	}
	return len(graph.Effects)
}

// matrixColumns returns the kinds of mutual a matrix shows: those asked for,
// in that order, else all of them.
func (r *Resolver) matrixColumns(ctx context.Context, ids []string) ([]graph.MutualKind, error) {
	var kinds []graph.MutualKind
	if len(ids) == 0 {
		page, err := r.Store.List(ctx, graph.LabelMutualKind, graph.ListArgs{PageArgs: graph.PageArgs{First: MaxFirst}})
		if err != nil {
			return nil, err
		}
		for _, n := range page.Items {
			kinds = append(kinds, n.(graph.MutualKind))
		}
		return kinds, nil
	}
	found, err := r.Store.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		k, ok := found[id].(graph.MutualKind)
		if !ok {
			return nil, graph.Errorf(graph.CodeBadInput, "%q is not the id of a kind of mutual", id)
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

// buildMatrix lays levers' bearings out as rows of levers, in the order
// given, by columns of kinds: each cell keeps the strongest effect and
// counts the chains. A lever with no chain to a column has no row.
func buildMatrix(kinds []graph.MutualKind, levers []graph.LeverBearings) *InfluenceMatrix {
	column := make(map[string]int, len(kinds))
	for i, k := range kinds {
		column[k.ID] = i
	}
	m := &InfluenceMatrix{Kinds: kinds}
	for _, lb := range levers {
		row := InfluenceRow{Lever: lb.Lever, Orders: toOrders(lb.Orders), Cells: make([]InfluenceCell, len(kinds))}
		for c := range kinds {
			row.Cells[c] = InfluenceCell{Kind: &kinds[c]}
		}
		shown := false
		for _, b := range lb.Bearings {
			col, ok := column[b.Kind]
			if !ok {
				continue
			}
			shown = true
			cell := &row.Cells[col]
			cell.Paths += b.Paths
			cell.StatedPaths += b.Stated
			for _, Effect := range b.Effects {
				if cell.Effect == nil || strength(Effect) < strength(*cell.Effect) {
					cell.Effect = &Effect
				}
			}
		}
		if shown {
			m.Rows = append(m.Rows, row)
		}
	}
	return m
}
