package resolvers

import (
	"encoding/json"
	"math"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/graph"
)

// MarshalInt writes the GraphQL Int scalar.
func MarshalInt(n int) graphql.Marshaler { return graphql.MarshalInt(n) }

// UnmarshalInt reads the GraphQL Int scalar, which is 32 bits wide: a
// larger number is no Int, whatever the field does with it.
func UnmarshalInt(v any) (int, error) {
	var n int64
	switch v := v.(type) {
	case int64:
		n = v
	case int:
		n = int64(v)
	case json.Number:
		var err error
		if n, err = v.Int64(); err != nil {
			return 0, graph.Errorf(graph.CodeBadInput, "Int cannot represent %s: it is not a whole number of 32 bits", v)
		}
	default:
		return 0, graph.Errorf(graph.CodeBadInput, "Int cannot represent %v", v)
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, graph.Errorf(graph.CodeBadInput, "Int cannot represent %d: it is not a whole number of 32 bits", n)
	}
	return int(n), nil
}

// MarshalDate writes the GraphQL Date scalar: an ISO 8601 calendar date.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.MarshalString(t.Format(time.DateOnly))
}

// UnmarshalDate reads the GraphQL Date scalar.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, graph.Errorf(graph.CodeBadInput, "a Date is a string such as 1999-12-31")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, graph.Errorf(graph.CodeBadInput, "%q is not a date: want YYYY-MM-DD", s)
	}
	return t, nil
}

// MarshalPartialDate writes the GraphQL PartialDate scalar: a date as far
// as it is known, 2013, 2013-10 or 2013-10-10.
func MarshalPartialDate(d graph.PartialDate) graphql.Marshaler {
	return graphql.MarshalString(d.String())
}

// UnmarshalPartialDate reads the GraphQL PartialDate scalar.
func UnmarshalPartialDate(v any) (graph.PartialDate, error) {
	s, ok := v.(string)
	if !ok {
		return graph.PartialDate{}, graph.Errorf(graph.CodeBadInput, "a PartialDate is a string such as 2013, 2013-10 or 2013-10-10")
	}
	d, err := graph.ParsePartialDate(s)
	if err != nil {
		return graph.PartialDate{}, graph.Errorf(graph.CodeBadInput, "%v", err)
	}
	return d, nil
}
