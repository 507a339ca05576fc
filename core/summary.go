package core

import (
	"sort"
	"time"
)

// Day is one day of a user's time, computed once in core so the popup, the
// badge and the relay all show the same numbers.
type Day struct {
	Date    Date
	Now     time.Time  // the moment the summary was computed
	Entries []DayEntry // chronological (oldest first)
	Total   time.Duration
	Running *DayEntry // the running timer, if any (also in Entries)
}

// DayEntry is an entry with the part of its duration that falls in the day.
type DayEntry struct {
	TimeEntry
	Duration time.Duration // inside the day; a running timer counts up to Now
}

// Summarize keeps the entries that touch date (in s.Location), in start
// order, and adds up the time that falls inside the day, counting a running
// timer up to now. Duplicate ids are kept once.
func Summarize(es []TimeEntry, date Date, s Scope, now time.Time) Day {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	dayStart, dayEnd := date.Start(loc), date.AddDays(1).Start(loc)
	d := Day{Date: date, Now: now, Entries: make([]DayEntry, 0, len(es))}
	seen := make(map[int64]bool, len(es))
	for _, e := range es {
		if e.ID != 0 && seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		end := e.End
		if e.Running() {
			end = now
		}
		from, to := later(e.Start, dayStart), earlier(end, dayEnd)
		// Entries that start in the day count even when empty; earlier ones
		// count when they run past midnight.
		touches := e.Start.Before(dayEnd) && (!e.Start.Before(dayStart) || end.After(dayStart))
		if !touches {
			continue
		}
		de := DayEntry{TimeEntry: e}
		if to.After(from) {
			de.Duration = to.Sub(from)
		}
		d.Total += de.Duration
		d.Entries = append(d.Entries, de)
	}
	sort.SliceStable(d.Entries, func(i, j int) bool { return d.Entries[i].Start.Before(d.Entries[j].Start) })
	for i := range d.Entries {
		if d.Entries[i].Running() {
			d.Running = &d.Entries[i]
		}
	}
	return d
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Overlaps returns the entries of es that share time with [start, end); a
// running entry runs until now. TMetric's POST would overwrite them.
func Overlaps(es []TimeEntry, start, end, now time.Time) []TimeEntry {
	var out []TimeEntry
	for _, e := range es {
		eEnd := e.End
		if e.Running() {
			eEnd = now
		}
		if e.Start.Before(end) && eEnd.After(start) {
			out = append(out, e)
		}
	}
	return out
}
