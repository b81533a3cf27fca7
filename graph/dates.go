package graph

import (
	"fmt"
	"time"
)

// Precision says how much of a date is known.
type Precision string

// The precisions of a date.
const (
	PrecisionYear  Precision = "YEAR"
	PrecisionMonth Precision = "MONTH"
	PrecisionDay   Precision = "DAY"
)

// PartialDate is a date known to the year, the month or the day: 2017,
// 2017-12 or 2017-12-05. Day is its first possible day.
type PartialDate struct {
	Day       time.Time
	Precision Precision
}

// ParsePartialDate reads YYYY, YYYY-MM or YYYY-MM-DD.
func ParsePartialDate(s string) (PartialDate, error) {
	for _, f := range []struct {
		layout    string
		precision Precision
	}{{time.DateOnly, PrecisionDay}, {"2006-01", PrecisionMonth}, {"2006", PrecisionYear}} {
		if len(s) == len(f.layout) {
			if t, err := time.Parse(f.layout, s); err == nil {
				return PartialDate{Day: t, Precision: f.precision}, nil
			}
		}
	}
	return PartialDate{}, fmt.Errorf("%q is not a date: want YYYY-MM-DD, or YYYY-MM or YYYY where only the month or the year is known", s)
}

// String writes the date as far as it is known.
func (d PartialDate) String() string {
	switch d.Precision {
	case PrecisionYear:
		return d.Day.Format("2006")
	case PrecisionMonth:
		return d.Day.Format("2006-01")
	}
	return d.Day.Format(time.DateOnly)
}

// LastDay is the last day the date may be.
func (d PartialDate) LastDay() time.Time {
	switch d.Precision {
	case PrecisionYear:
		return d.Day.AddDate(1, 0, -1)
	case PrecisionMonth:
		return d.Day.AddDate(0, 1, -1)
	}
	return d.Day
}

// PrecisionOf names the stored property that holds the precision of a date
// property known to less than the day; a date known to the day has none, so
// that dates stored before precisions existed read as days.
func PrecisionOf(property string) string { return property + "Precision" }
