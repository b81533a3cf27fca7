package resolvers

import (
	"context"
	"time"

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
		out.Hops[i] = toHop(h, byID[h.From], byID[h.To])
	}
	return out
}

// toHop is a relationship as the API shows it, with the nodes it joins.
func toHop(h graph.Hop, from, to graph.Node) Hop {
	return Hop{Type: RelationshipType(h.Type), From: from, To: to, Forward: h.Forward, EdgeProps: h.EdgeProps}
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
// given, by columns of kinds. A lever with no chain to a column has no row.
func buildMatrix(kinds []graph.MutualKind, levers []graph.LeverBearings) *InfluenceMatrix {
	ids := make([]string, len(kinds))
	for i, k := range kinds {
		ids[i] = k.ID
	}
	m := &InfluenceMatrix{Kinds: kinds}
	for _, lb := range levers {
		cells, shown := graph.Cells(ids, lb.Bearings)
		if !shown {
			continue
		}
		row := InfluenceRow{Lever: lb.Lever, Orders: toOrders(lb.Orders), Cells: make([]InfluenceCell, len(kinds))}
		for c, cell := range cells {
			row.Cells[c] = InfluenceCell{Kind: &kinds[c], Paths: cell.Paths, StatedPaths: cell.Stated}
			if cell.Effect != "" {
				row.Cells[c].Effect = &cell.Effect
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// TraceOf reads a trace's arguments: at most maxPaths paths, 10 unless
// asked, of at most 4 hops unless asked.
func TraceOf(from, to string, maxHops *int, via []RelationshipType, first *int, statedOnly *bool) (graph.Trace, error) {
	n, err := LimitArg(first, 10)
	if err != nil {
		return graph.Trace{}, err
	}
	if n > maxPaths {
		return graph.Trace{}, graph.Errorf(graph.CodeBadInput, "first must be at most %d", maxPaths)
	}
	t := graph.Trace{From: from, To: to, MaxHops: 4, First: n, Stated: statedOnly != nil && *statedOnly}
	if maxHops != nil {
		t.MaxHops = *maxHops
	}
	if t.MaxHops < 1 || t.MaxHops > graph.MaxHops {
		return graph.Trace{}, graph.Errorf(graph.CodeBadInput, "maxHops must be between 1 and %d", graph.MaxHops)
	}
	for _, rt := range via {
		t.Via = append(t.Via, graph.RelType(rt))
	}
	return t, nil
}

// InfluencesOf reads leversAffecting's arguments: at most maxInfluences
// chains, 100 unless asked.
func InfluencesOf(kind string, orders []Order, jurisdictions []string, asOf *time.Time, first *int, statedOnly *bool, inEffectOn *time.Time, includeUndated *bool) (graph.InfluenceFilter, error) {
	limit := 100
	if first != nil {
		if *first < 1 || *first > maxInfluences {
			return graph.InfluenceFilter{}, graph.Errorf(graph.CodeBadInput, "first must be between 1 and %d", maxInfluences)
		}
		limit = *first
	}
	f, err := MatrixOf(orders, jurisdictions, []string{kind}, asOf, statedOnly, inEffectOn, includeUndated)
	f.Limit = limit
	return f, err
}

// MatrixOf reads influenceMatrix's arguments.
func MatrixOf(orders []Order, jurisdictions, kinds []string, asOf *time.Time, statedOnly *bool, inEffectOn *time.Time, includeUndated *bool) (graph.InfluenceFilter, error) {
	on, err := InEffect(asOf, inEffectOn, includeUndated)
	if err != nil {
		return graph.InfluenceFilter{}, err
	}
	return graph.InfluenceFilter{
		Kinds: kinds, Orders: orderStrings(orders), Jurisdictions: jurisdictions,
		AsOf: on.Day, IncludeUndated: on.Undated, Stated: statedOnly != nil && *statedOnly,
	}, nil
}
