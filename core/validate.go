package core

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxNote is TMetric's limit on a note, in characters.
const MaxNote = 400

// clockSkew is how far ahead of our clock a start may be before it counts
// as "in the future": the browser's and TMetric's clocks differ a little.
const clockSkew = time.Minute

// CleanNote trims the spaces a paste leaves around a note.
func CleanNote(s string) string { return strings.TrimSpace(s) }

// QuickNote turns arbitrary page text (a selection, a title) into a note:
// runs of white space become one space and anything past MaxNote is cut,
// on a character boundary, with an ellipsis.
func QuickNote(s string) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) <= MaxNote {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:MaxNote-1]), unicode.IsSpace) + "…"
}

// Validate checks a new entry against TMetric's limits and the workspace's
// rules before anything is sent, so the user reads what to fix instead of a
// bare 400.
func Validate(rules TimeTracking, in EntryInput, now time.Time) error {
	if err := validateShape(in); err != nil {
		return err
	}
	if !in.Start.IsZero() && in.Start.After(now.Add(clockSkew)) {
		return invalid("startTime", "the start time is in the future")
	}
	switch {
	case rules.RequireProject && in.ProjectID == 0:
		return invalid("project", "this workspace requires a project: pick one before starting")
	case rules.RequireTask && in.TaskID == 0:
		return invalid("task", "this workspace requires a task: pick one before starting")
	case rules.RequireTags && len(in.TagIDs) == 0:
		return invalid("tags", "this workspace requires at least one tag: pick one before starting")
	case rules.RequireDescription && strings.TrimSpace(in.Note) == "":
		return invalid("note", "this workspace requires a note: describe what you are working on")
	}
	return nil
}

// validateShape checks what holds for any entry, new or edited.
func validateShape(in EntryInput) error {
	if n := utf8.RuneCountInString(in.Note); n > MaxNote {
		return invalid("note", "the note is %d characters long; TMetric allows %d", n, MaxNote)
	}
	if !utf8.ValidString(in.Note) {
		return invalid("note", "the note is not valid text (UTF-8)")
	}
	if !in.End.IsZero() && !in.Start.IsZero() && !in.End.After(in.Start) {
		return invalid("endTime", "the end time must be after the start time")
	}
	for _, id := range in.TagIDs {
		if id <= 0 {
			return invalid("tags", "tag id %d is not valid", id)
		}
	}
	if in.ProjectID < 0 || in.TaskID < 0 {
		return invalid("project", "project and task ids must be positive")
	}
	return nil
}

// PageNote makes a note for time spent on a web page: its title, then its
// address, so the user finds the page again from TMetric. When both do not
// fit in MaxNote the title is shortened, never the address (an address too
// long for a note is dropped rather than cut into a broken link).
func PageNote(title, url string) string {
	title, url = QuickNote(title), strings.TrimSpace(url)
	if url == "" || strings.ContainsAny(url, " \t\r\n") {
		return title
	}
	if title == "" {
		title = url
		if utf8.RuneCountInString(title) > MaxNote {
			return ""
		}
		return title
	}
	const sep = " — "
	room := MaxNote - utf8.RuneCountInString(url) - utf8.RuneCountInString(sep)
	if room < 20 {
		return title
	}
	if utf8.RuneCountInString(title) > room {
		r := []rune(title)
		title = strings.TrimRightFunc(string(r[:room-1]), unicode.IsSpace) + "…"
	}
	return title + sep + url
}
