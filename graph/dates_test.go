package graph_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

func partial(t *testing.T, s string) graph.PartialDate {
	t.Helper()
	d, err := graph.ParsePartialDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPartialDates(t *testing.T) {
	for _, c := range []struct{ in, first, last string }{
		{"2013", "2013-01-01", "2013-12-31"},
		{"2012-02", "2012-02-01", "2012-02-29"},
		{"2013-10-10", "2013-10-10", "2013-10-10"},
	} {
		d := partial(t, c.in)
		if d.String() != c.in || d.Day.Format(time.DateOnly) != c.first || d.LastDay().Format(time.DateOnly) != c.last {
			t.Errorf("%s: read as %s, from %s to %s; want from %s to %s", c.in, d, d.Day.Format(time.DateOnly), d.LastDay().Format(time.DateOnly), c.first, c.last)
		}
	}
	for _, bad := range []string{"13", "2013-13", "2013-1", "2013-02-30", "2013-10-10T00:00", ""} {
		if _, err := graph.ParsePartialDate(bad); err == nil {
			t.Errorf("%q read as a date", bad)
		}
	}
}

// A statute is in effect on a day once it has certainly come into force,
// and until it has certainly ended: a date known to the year or month counts
// by its last possible day. One without an in-force date is in effect only
// when the caller includes the undated. Stored and read back, a partial date
// keeps its precision, and a Date field holds only a whole day.
func TestInEffectOnWithPartialDates(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	put(t, store, graph.LabelStatute,
		map[string]any{"id": "statute:year", "name": "Y", "inForce": partial(t, "2013")},
		map[string]any{"id": "statute:month", "name": "M", "inForce": partial(t, "2013-10")},
		map[string]any{"id": "statute:day", "name": "D", "inForce": partial(t, "2013-10-10").Day},
		map[string]any{"id": "statute:ended", "name": "E", "inForce": partial(t, "2000-01-01").Day, "end": partial(t, "2020")},
		map[string]any{"id": "statute:undated", "name": "U"},
	)
	inEffect := func(day string, undated bool) []string {
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatal(err)
		}
		page, err := store.List(ctx, graph.LabelStatute, graph.ListArgs{PageArgs: graph.PageArgs{First: 10}, AsOf: &d, IncludeUndated: undated})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range page.Items {
			ids = append(ids, n.GetID())
		}
		return ids
	}
	for _, c := range []struct {
		day     string
		undated bool
		want    []string
	}{
		{"2013-10-09", false, []string{"statute:ended"}},
		{"2013-10-10", false, []string{"statute:day", "statute:ended"}},
		{"2013-10-30", false, []string{"statute:day", "statute:ended"}},
		{"2013-10-31", false, []string{"statute:day", "statute:ended", "statute:month"}},
		{"2013-12-30", false, []string{"statute:day", "statute:ended", "statute:month"}},
		{"2013-12-31", false, []string{"statute:day", "statute:ended", "statute:month", "statute:year"}},
		{"2020-12-30", false, []string{"statute:day", "statute:month", "statute:year", "statute:ended"}},
		{"2020-12-31", false, []string{"statute:day", "statute:month", "statute:year"}},
		{"2020-12-31", true, []string{"statute:day", "statute:month", "statute:undated", "statute:year"}},
	} {
		got := inEffect(c.day, c.undated)
		slices.Sort(got)
		slices.Sort(c.want)
		if !slices.Equal(got, c.want) {
			t.Errorf("in effect on %s (undated %v): %v, want %v", c.day, c.undated, got, c.want)
		}
	}

	nodes, err := store.Nodes(ctx, []string{"statute:year", "statute:day"})
	if err != nil {
		t.Fatal(err)
	}
	year, day := nodes["statute:year"].(graph.Statute), nodes["statute:day"].(graph.Statute)
	if year.InForce != nil || year.InForceAsKnown == nil || year.InForceAsKnown.String() != "2013" {
		t.Errorf("a statute in force in 2013: inForce %v, as known %v", year.InForce, year.InForceAsKnown)
	}
	if day.InForce == nil || day.InForceAsKnown == nil || day.InForceAsKnown.String() != "2013-10-10" {
		t.Errorf("a statute in force on 2013-10-10: inForce %v, as known %v", day.InForce, day.InForceAsKnown)
	}
}
