package resolvers

import (
	"reflect"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, id := range []string{"kind:spin-out", "jurisdiction:ca-qc", "statute:é/ü ; \"odd\""} {
		cursor := IDCursor(id)
		args, err := PageArgsOf(nil, &cursor, nil, nil)
		if err != nil || args.After != id {
			t.Errorf("cursor of %q decodes to %q, %v", id, args.After, err)
		}
	}
}

func TestPageArgs(t *testing.T) {
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		name  string
		first *int
		after *string
		want  graph.PageArgs
		code  graph.Code
	}{
		{"defaults", nil, nil, graph.PageArgs{First: 20}, ""},
		{"empty after is the first page", n(5), s(""), graph.PageArgs{First: 5}, ""},
		{"zero", n(0), nil, graph.PageArgs{First: 0}, ""},
		{"the cap", n(MaxFirst), nil, graph.PageArgs{First: MaxFirst}, ""},
		{"over the cap", n(MaxFirst + 1), nil, graph.PageArgs{}, graph.CodeBadInput},
		{"negative", n(-1), nil, graph.PageArgs{}, graph.CodeBadInput},
		{"not base64", nil, s("!!!"), graph.PageArgs{}, graph.CodeBadInput},
		{"base64 but not ours", nil, s("aGVsbG8"), graph.PageArgs{}, graph.CodeBadInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PageArgsOf(tc.first, tc.after, nil, nil)
			if tc.code != "" {
				if graph.ErrorCode(err) != tc.code {
					t.Errorf("err %v, want code %s", err, tc.code)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
