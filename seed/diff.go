package seed

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/psmgraph/psmgraph/graph"
)

// Diff is what loading one data set over another would change: the
// entities and links it adds, the properties it changes, and the entities
// and links of its files that it no longer holds, which a load removes
// only when it prunes. Entities come in the model's order of labels, then
// by id; links in its order of types, then by their ends.
type Diff struct {
	Changes []Change `json:"changes"`
}

// The kinds of change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// Change is one entity or link that differs: an entity has a Label and an
// ID, a link a Type, From and To. Properties are those that differ, as the
// CSV files spell them: all of an added or removed one's.
type Change struct {
	Kind       string           `json:"kind"`
	Label      graph.Label      `json:"label,omitempty"`
	ID         string           `json:"id,omitempty"`
	Type       graph.RelType    `json:"type,omitempty"`
	From       string           `json:"from,omitempty"`
	To         string           `json:"to,omitempty"`
	Properties []PropertyChange `json:"properties"`
}

// PropertyChange is one property's value before and after, "" where it has
// none.
type PropertyChange struct {
	Name   string `json:"name"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// DiffSets compares the later set with the earlier. A label or type whose
// file the later set lacks is not compared: the set says nothing of it.
func DiffSets(earlier, later *Set) Diff {
	var d Diff
	for _, nt := range graph.NodeTypes {
		if !later.Files[nt.File] {
			continue
		}
		props := nt.AllProperties()
		key := func(row map[string]any) string { s, _ := row["id"].(string); return s }
		d.Changes = append(d.Changes, diffRows(earlier.Nodes[nt.Label], later.Nodes[nt.Label], key,
			func(row map[string]any) map[string]any { return row }, props,
			func(c *Change, row map[string]any) { c.Label, c.ID = nt.Label, key(row) })...)
	}
	for _, rt := range graph.RelationshipTypes {
		if !later.Files[rt.File] {
			continue
		}
		key := func(r graph.RelRow) string { return r.From + "\x00" + r.To }
		d.Changes = append(d.Changes, diffRows(earlier.Rels[rt.Type], later.Rels[rt.Type], key,
			func(r graph.RelRow) map[string]any { return r.Props }, rt.Properties,
			func(c *Change, r graph.RelRow) { c.Type, c.From, c.To = rt.Type, r.From, r.To })...)
	}
	return d
}

// diffRows compares two files' rows by key: each row's cells, as props
// spell them, from propsOf; name gives a change its entity or link.
func diffRows[T any](earlier, later []T, key func(T) string, propsOf func(T) map[string]any,
	props []graph.Property, name func(*Change, T)) []Change {
	before := make(map[string]T, len(earlier))
	for _, r := range earlier {
		before[key(r)] = r
	}
	after := make(map[string]T, len(later))
	for _, r := range later {
		after[key(r)] = r
	}
	var out []Change
	for k, r := range after {
		old, had := before[k]
		c := Change{Kind: Added}
		var was map[string]any
		if had {
			c.Kind, was = Changed, propsOf(old)
		}
		if c.Properties = propertyChanges(props, was, propsOf(r)); had && len(c.Properties) == 0 {
			continue
		}
		name(&c, r)
		out = append(out, c)
	}
	for k, r := range before {
		if _, kept := after[k]; !kept {
			c := Change{Kind: Removed, Properties: propertyChanges(props, propsOf(r), nil)}
			name(&c, r)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return out
}

// propertyChanges lists the properties whose cells differ between two rows
// (nil for none, whose cells are all empty), in the model's column order.
func propertyChanges(props []graph.Property, before, after map[string]any) []PropertyChange {
	was, is := cells(props, before), cells(props, after)
	var out []PropertyChange
	for i, p := range props {
		if was[i] != is[i] {
			out = append(out, PropertyChange{Name: p.Name, Before: was[i], After: is[i]})
		}
	}
	return out
}

// Counts counts the changes of each kind, of entities and of links.
func (d Diff) Counts() (entities, links map[string]int) {
	entities, links = map[string]int{}, map[string]int{}
	for _, c := range d.Changes {
		if c.Label != "" {
			entities[c.Kind]++
		} else {
			links[c.Kind]++
		}
	}
	return entities, links
}

// Without returns the diff without the changes of a kind: a load that
// does not prune removes nothing.
func (d Diff) Without(kind string) Diff {
	return Diff{Changes: slices.DeleteFunc(slices.Clone(d.Changes), func(c Change) bool { return c.Kind == kind })}
}

// WriteText writes the diff for a person: a line per entity or link
// (+ added, - removed, ~ changed) with a line per property below it, at
// most limit entities and links (all, when limit is 0), then the counts.
func (d Diff) WriteText(w io.Writer, limit int) error {
	mark := map[string]string{Added: "+", Removed: "-", Changed: "~"}
	var b strings.Builder
	for i, c := range d.Changes {
		if limit > 0 && i == limit {
			fmt.Fprintf(&b, "… and %d more\n", len(d.Changes)-limit)
			break
		}
		if c.Label != "" {
			fmt.Fprintf(&b, "%s %s %s\n", mark[c.Kind], c.Label, c.ID)
		} else {
			fmt.Fprintf(&b, "%s %s %s → %s\n", mark[c.Kind], c.Type, c.From, c.To)
		}
		for _, p := range c.Properties {
			switch c.Kind {
			case Added:
				fmt.Fprintf(&b, "    %s: %q\n", p.Name, p.After)
			case Removed:
				fmt.Fprintf(&b, "    %s: %q\n", p.Name, p.Before)
			default:
				fmt.Fprintf(&b, "    %s: %q → %q\n", p.Name, p.Before, p.After)
			}
		}
	}
	entities, links := d.Counts()
	fmt.Fprintf(&b, "entities: %d added, %d changed, %d removed; links: %d added, %d changed, %d removed\n",
		entities[Added], entities[Changed], entities[Removed], links[Added], links[Changed], links[Removed])
	_, err := io.WriteString(w, b.String())
	return err
}

// SetOf reads the whole graph as a data set, every file present, for a
// diff against the graph.
func SetOf(ctx context.Context, g Exporter) (*Set, error) {
	set := &Set{Nodes: map[graph.Label][]map[string]any{}, Rels: map[graph.RelType][]graph.RelRow{}, Files: map[string]bool{}}
	for _, nt := range graph.NodeTypes {
		rows, err := g.ExportNodes(ctx, nt.Label)
		if err != nil {
			return nil, err
		}
		set.Nodes[nt.Label], set.Files[nt.File] = rows, true
	}
	for _, rt := range graph.RelationshipTypes {
		rows, err := g.ExportRelationships(ctx, rt.Type)
		if err != nil {
			return nil, err
		}
		set.Rels[rt.Type], set.Files[rt.File] = rows, true
	}
	return set, nil
}
