package core

import "time"

// DayView is a day summary ready to show: every time already in the user's
// zone and format, entries newest first. The popup, the badge and the relay
// render it as is, so no surface formats time on its own.
type DayView struct {
	Date         string      `json:"date"` // YYYY-MM-DD in the user's zone
	ComputedAtMs int64       `json:"computedAtMs"`
	TotalSeconds int64       `json:"totalSeconds"` // includes the running timer up to ComputedAt
	Total        string      `json:"total"`        // h:mm
	TimeFormat   string      `json:"timeFormat"`
	Running      *EntryView  `json:"running"`
	Entries      []EntryView `json:"entries"` // newest first
}

// EntryView is one entry of a DayView.
type EntryView struct {
	ID              int64    `json:"id"`
	Note            string   `json:"note"`
	ProjectID       int64    `json:"projectId,omitempty"`
	Project         string   `json:"project,omitempty"`
	Client          string   `json:"client,omitempty"`
	TaskID          int64    `json:"taskId,omitempty"`
	Task            string   `json:"task,omitempty"`
	TaskLink        string   `json:"taskLink,omitempty"`
	TagIDs          []int64  `json:"tagIds"`
	Tags            []string `json:"tags"`
	StartMs         int64    `json:"startMs"`
	EndMs           int64    `json:"endMs,omitempty"` // 0 while running
	Start           string   `json:"start"`           // in the user's time format
	End             string   `json:"end,omitempty"`
	DurationSeconds int64    `json:"durationSeconds"` // the part inside the day
	Duration        string   `json:"duration"`        // h:mm
	Running         bool     `json:"running"`
	// Forgotten marks a timer that has run for over 12 hours: almost always
	// one the user forgot to stop.
	Forgotten bool `json:"forgotten,omitempty"`
}

// ForgottenAfter is how long a timer runs before it is flagged as forgotten.
const ForgottenAfter = 12 * time.Hour

// View renders d for display in scope s.
func (d Day) View(s Scope) DayView {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	v := DayView{
		Date: d.Date.String(), ComputedAtMs: d.Now.UnixMilli(), TotalSeconds: int64(d.Total / time.Second),
		Total: FormatDuration(d.Total), TimeFormat: s.TimeFormat, Entries: make([]EntryView, 0, len(d.Entries)),
	}
	for i := len(d.Entries) - 1; i >= 0; i-- {
		e := d.Entries[i]
		ev := EntryView{
			ID: e.ID, Note: e.Note, StartMs: e.Start.UnixMilli(), Start: FormatClock(e.Start.In(loc), s.TimeFormat),
			DurationSeconds: int64(e.Duration / time.Second), Duration: FormatDuration(e.Duration), Running: e.Running(),
			TagIDs: []int64{}, Tags: []string{},
		}
		if !e.Running() {
			ev.EndMs = e.End.UnixMilli()
			ev.End = FormatClock(e.End.In(loc), s.TimeFormat)
		} else {
			ev.Forgotten = d.Now.Sub(e.Start) > ForgottenAfter
		}
		if p := e.Project; p != nil {
			ev.ProjectID, ev.Project = p.ID, p.Name
			if p.Client != nil {
				ev.Client = p.Client.Name
			}
		}
		if t := e.Task; t != nil {
			ev.TaskID, ev.Task = t.ID, t.Name
			if t.ExternalLink != nil {
				ev.TaskLink = t.ExternalLink.Link
			}
		}
		for _, t := range e.Tags {
			ev.TagIDs = append(ev.TagIDs, t.ID)
			ev.Tags = append(ev.Tags, t.Name)
		}
		v.Entries = append(v.Entries, ev)
		if ev.Running {
			r := ev
			v.Running = &r
		}
	}
	return v
}
