package graph

import (
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// decodeNode turns a node's label and properties into its domain type.
func decodeNode(label Label, p map[string]any) (Node, bool) {
	e := Entity{
		ID:            str(p, "id"),
		Name:          str(p, "name"),
		NameFr:        optStr(p, "nameFr"),
		Aliases:       strList(p, "aliases"),
		Description:   optStr(p, "description"),
		DescriptionFr: optStr(p, "descriptionFr"),
		SourceIDs:     strList(p, "sourceIds"),
		Note:          optStr(p, "note"),
	}
	switch label {
	case LabelJurisdiction:
		return Jurisdiction{Entity: e, Code: str(p, "code"), Country: str(p, "country"), Level: str(p, "level")}, true
	case LabelMinistry:
		return Ministry{Entity: e, Minister: optStr(p, "minister"), Holder: optStr(p, "holder"),
			Department: optStr(p, "department"), URL: optStr(p, "url")}, true
	case LabelAgency:
		return Agency{Entity: e, URL: optStr(p, "url")}, true
	case LabelMandateCommitment:
		return MandateCommitment{Entity: e, Issued: optDate(p, "issued"), IssuedAsKnown: optPartial(p, "issued"), Outcome: optStr(p, "outcome")}, true
	case LabelLever:
		return Lever{Entity: e, Instrument: str(p, "instrument")}, true
	case LabelStatute:
		return Statute{Entity: e, Citation: optStr(p, "citation"), URL: optStr(p, "url"),
			Enacted: optDate(p, "enacted"), InForce: optDate(p, "inForce"), End: optDate(p, "end"),
			EnactedAsKnown: optPartial(p, "enacted"), InForceAsKnown: optPartial(p, "inForce"), EndAsKnown: optPartial(p, "end")}, true
	case LabelProgramme:
		return Programme{Entity: e, Kind: str(p, "kind"), Budget: optFloat(p, "budget"), Currency: optStr(p, "currency"),
			URL: optStr(p, "url"), Span: spanOf(p)}, true
	case LabelProcurementProgramme:
		return ProcurementProgramme{Entity: e, URL: optStr(p, "url"), Span: spanOf(p)}, true
	case LabelMutualKind:
		return MutualKind{Entity: e, Route: str(p, "route"), Initiator: str(p, "initiator")}, true
	case LabelMutual:
		category, _ := p["category"].(bool)
		return Mutual{Entity: e, Ownership: str(p, "ownership"), LegalForm: optStr(p, "legalForm"),
			Founded: optInt(p, "founded"), Category: category, Count: optInt(p, "count"), Website: optStr(p, "website"),
			Status: optStr(p, "status"), StatusSince: optDate(p, "statusSince"), StatusSinceAsKnown: optPartial(p, "statusSince"),
			OwnershipShares: optStr(p, "ownershipShares")}, true
	case LabelSector:
		return Sector{Entity: e}, true
	case LabelChallenge:
		return Challenge{Entity: e}, true
	case LabelOutcome:
		return Outcome{Entity: e}, true
	case LabelSource:
		return Source{Entity: e, Author: optStr(p, "author"), Publisher: optStr(p, "publisher"),
			Year: optInt(p, "year"), Published: optDate(p, "published"), PublishedAsKnown: optPartial(p, "published"), URL: optStr(p, "url")}, true
	}
	return nil, false
}

func str(p map[string]any, key string) string {
	s, _ := p[key].(string)
	return s
}

func optStr(p map[string]any, key string) *string {
	if s, ok := p[key].(string); ok {
		return &s
	}
	return nil
}

func optInt(p map[string]any, key string) *int {
	if n, ok := p[key].(int64); ok {
		i := int(n)
		return &i
	}
	return nil
}

func optFloat(p map[string]any, key string) *float64 {
	switch v := p[key].(type) {
	case float64:
		return &v
	case int64:
		f := float64(v)
		return &f
	}
	return nil
}

// optDate reads a date known to the day; nil for one known only to the
// month or year, whose day a Date would misstate.
func optDate(p map[string]any, key string) *time.Time {
	if d, ok := p[key].(dbtype.Date); ok && p[PrecisionOf(key)] == nil {
		t := d.Time()
		return &t
	}
	return nil
}

// optPartial reads a date as far as it is known.
func optPartial(p map[string]any, key string) *PartialDate {
	d, ok := p[key].(dbtype.Date)
	if !ok {
		return nil
	}
	precision := PrecisionDay
	if s, ok := p[PrecisionOf(key)].(string); ok {
		precision = Precision(s)
	}
	return &PartialDate{Day: d.Time(), Precision: precision}
}

func spanOf(p map[string]any) Span {
	return Span{
		Announced: optDate(p, "announced"), Start: optDate(p, "start"), End: optDate(p, "end"),
		AnnouncedAsKnown: optPartial(p, "announced"), StartAsKnown: optPartial(p, "start"), EndAsKnown: optPartial(p, "end"),
	}
}

func strList(p map[string]any, key string) []string {
	items, _ := p[key].([]any)
	out := make([]string, 0, len(items))
	for _, item := range items {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func asInt(v any) int64 {
	n, _ := v.(int64)
	return n
}
