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

// FreeSlot finds where a block of length can be logged today without
// touching existing time: ending at end when that span is free, otherwise
// at the end of the latest free gap long enough, between the start of the
// day and end. A running timer occupies its span up to end. TMetric's POST
// overwrites whatever a new entry overlaps, so this is what keeps quick
// logging from erasing time. ok is false when no gap is long enough.
func FreeSlot(es []TimeEntry, length time.Duration, end time.Time, loc *time.Location) (start time.Time, ok bool) {
	if length <= 0 {
		return time.Time{}, false
	}
	dayStart := DateOf(end, loc).Start(loc)
	type span struct{ from, to time.Time }
	var busy []span
	for _, e := range es {
		to := e.End
		if e.Running() {
			to = end
		}
		if to.After(dayStart) && e.Start.Before(end) {
			busy = append(busy, span{later(e.Start, dayStart), earlier(to, end)})
		}
	}
	sort.Slice(busy, func(i, j int) bool { return busy[i].from.Before(busy[j].from) })
	// Free gaps, oldest first: between dayStart, the merged busy spans, and end.
	var gaps []span
	free := dayStart
	for _, b := range busy {
		if b.from.After(free) {
			gaps = append(gaps, span{free, b.from})
		}
		free = later(free, b.to)
	}
	if end.After(free) {
		gaps = append(gaps, span{free, end})
	}
	for i := len(gaps) - 1; i >= 0; i-- {
		if gaps[i].to.Sub(gaps[i].from) >= length {
			return gaps[i].to.Add(-length), true
		}
	}
	return time.Time{}, false
}
