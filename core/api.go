package core

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Scope says whose time, in which workspace, in which time zone. Build it
// from the profile with User.Scope, or by hand from ids the user typed.
type Scope struct {
	AccountID  int64
	UserID     int64
	Location   *time.Location // the user's TMetric time zone
	Rules      TimeTracking   // the workspace's required fields
	TimeFormat string         // "H:mm" or "h:mm a"
}

// Location resolves the user's TMetric time zone. An unknown IANA name falls
// back to the fixed current offset TMetric reports, which is right today.
func (u *User) Location() *time.Location {
	if u.TimeZone.ID != "" {
		if loc, err := LoadLocation(u.TimeZone.ID); err == nil {
			return loc
		}
	}
	off := int(u.TimeZone.CurrentOffset * 3600)
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone(fmt.Sprintf("UTC%+.4g", u.TimeZone.CurrentOffset), off)
}

// Scope returns the scope for one of the user's workspaces; accountID 0
// means the active one.
func (u *User) Scope(accountID int64) (Scope, error) {
	if accountID == 0 {
		accountID = u.ActiveAccountID
	}
	for _, a := range u.Accounts {
		if a.ID == accountID {
			return Scope{AccountID: a.ID, UserID: u.ID, Location: u.Location(), Rules: a.Rules, TimeFormat: u.TimeFormat}, nil
		}
	}
	return Scope{}, invalid("workspace", "workspace %d is not one of %s's workspaces", accountID, u.Name)
}

func (s Scope) check() error {
	if s.AccountID <= 0 {
		return invalid("workspace", "no workspace chosen: pick one in the options")
	}
	if s.UserID <= 0 {
		return invalid("user", "no TMetric user id: save the token again in the options")
	}
	if s.Location == nil {
		return invalid("timeZone", "the user's time zone is unknown")
	}
	return nil
}

func (s Scope) path(rest string) string {
	return "accounts/" + strconv.FormatInt(s.AccountID, 10) + "/" + rest
}

func (s Scope) userQuery() Query {
	return Query{"userId": strconv.FormatInt(s.UserID, 10)}
}

// send sends a built request (or passes on the error that building it
// gave) and returns the body of a 2xx answer.
func (c *Client) send(ctx context.Context, op string, req *Request, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(ctx, op, req)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// withOp stamps the operation on a parse error.
func withOp(op string, err error) error {
	if e, ok := err.(*Error); ok && e.Op == "" {
		e.Op = op
	}
	return err
}

// MeRequest builds GET /user.
func (c *Client) MeRequest() (*Request, error) { return c.NewRequest("GET", "user", nil, nil) }

// Me fetches the token owner's profile: ids, time zone, workspaces and their rules.
func (c *Client) Me(ctx context.Context) (*User, error) {
	const op = "read profile"
	req, err := c.MeRequest()
	body, err := c.send(ctx, op, req, err)
	if err != nil {
		return nil, err
	}
	u, err := ParseUser(body)
	return u, withOp(op, err)
}

// EntriesRequest builds GET /timeentries for the days from first to last.
func (c *Client) EntriesRequest(s Scope, first, last Date) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	q := s.userQuery()
	q["startDate"] = first.String()
	q["endDate"] = last.String()
	return c.NewRequest("GET", s.path("timeentries"), q, nil)
}

// Entries lists the user's entries on the days from first to last.
func (c *Client) Entries(ctx context.Context, s Scope, first, last Date) ([]TimeEntry, error) {
	const op = "list time entries"
	req, err := c.EntriesRequest(s, first, last)
	body, err := c.send(ctx, op, req, err)
	if err != nil {
		return nil, err
	}
	es, err := ParseTimeEntries(body, s.Location)
	return es, withOp(op, err)
}

// Today returns today's summary, "today" being the date in the user's TMetric
// time zone. It also asks for yesterday, so a timer started before midnight
// that still runs is counted from midnight.
func (c *Client) Today(ctx context.Context, s Scope) (*Day, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	now := c.clock.Now()
	today := DateOf(now, s.Location)
	es, err := c.Entries(ctx, s, today.AddDays(-1), today)
	if err != nil {
		return nil, err
	}
	d := Summarize(es, today, s, now)
	return &d, nil
}

// TodayRequest is the request Today sends, for "Copy request as .http".
func (c *Client) TodayRequest(s Scope) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	today := DateOf(c.clock.Now(), s.Location)
	return c.EntriesRequest(s, today.AddDays(-1), today)
}

// Latest returns the user's most recent entry, or nil when there is none.
func (c *Client) Latest(ctx context.Context, s Scope) (*TimeEntry, error) {
	return get(ctx, c, s, "read latest entry", "timeentries/latest", s.userQuery(),
		func(b []byte) (*TimeEntry, error) { return ParseTimeEntry(b, s.Location) })
}

// Running returns the running timer, or nil when none runs.
func (c *Client) Running(ctx context.Context, s Scope) (*TimeEntry, error) {
	e, err := c.Latest(ctx, s)
	if err != nil || e == nil || !e.Running() {
		return nil, err
	}
	return e, nil
}

// EntryInput describes a new entry (a timer to start or time to log).
type EntryInput struct {
	Note      string
	ProjectID int64
	TaskID    int64
	TagIDs    []int64
	// Start is when the entry began; zero means "now" (sent as null so
	// TMetric stamps it with its own clock).
	Start time.Time
	// End is when it finished; zero starts a timer.
	End time.Time
}

// Written is what a write returns: the entry it created or changed and,
// when TMetric sent them, all entries of the affected days.
type Written struct {
	Entry   *TimeEntry
	Entries []TimeEntry
}

// timeEntryBody is POST /timeentries and PUT /timeentries/{id}: start and
// end are real JSON nulls when absent, as the API needs.
type timeEntryBody struct {
	StartTime *string `json:"startTime"`
	EndTime   *string `json:"endTime"`
	Note      string  `json:"note"`
	Project   *idRef  `json:"project,omitempty"`
	Task      *idRef  `json:"task,omitempty"`
	Tags      []idRef `json:"tags"`
}

type idRef struct {
	ID int64 `json:"id"`
}

func wire(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := FormatWire(t, loc)
	return &s
}

func (in EntryInput) body(loc *time.Location) timeEntryBody {
	b := timeEntryBody{StartTime: wire(in.Start, loc), EndTime: wire(in.End, loc), Note: in.Note, Tags: []idRef{}}
	if in.ProjectID != 0 {
		b.Project = &idRef{in.ProjectID}
	}
	if in.TaskID != 0 {
		b.Task = &idRef{in.TaskID}
	}
	for _, id := range in.TagIDs {
		b.Tags = append(b.Tags, idRef{id})
	}
	return b
}

// StartTimerRequest validates in and builds the POST that starts a timer.
func (c *Client) StartTimerRequest(s Scope, in EntryInput) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	in.End = time.Time{}
	in.Note = CleanNote(in.Note)
	if err := Validate(s.Rules, in, c.clock.Now()); err != nil {
		return nil, err
	}
	return c.NewRequest("POST", s.path("timeentries"), s.userQuery(), in.body(s.Location))
}

// StartTimer starts a timer now, or at in.Start in the past. TMetric ends a
// timer that was running at the new start.
func (c *Client) StartTimer(ctx context.Context, s Scope, in EntryInput) (*Written, error) {
	const op = "start timer"
	req, err := c.StartTimerRequest(s, in)
	return c.write(ctx, op, req, err, s, func(es []TimeEntry) *TimeEntry { return RunningEntry(es) })
}

// LogTimeRequest validates in (which needs Start and End) and builds its POST.
func (c *Client) LogTimeRequest(s Scope, in EntryInput) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if in.Start.IsZero() || in.End.IsZero() {
		return nil, invalid("startTime", "logging time needs both a start and an end")
	}
	in.Note = CleanNote(in.Note)
	if err := Validate(s.Rules, in, c.clock.Now()); err != nil {
		return nil, err
	}
	return c.NewRequest("POST", s.path("timeentries"), s.userQuery(), in.body(s.Location))
}

// LogTime adds a finished entry. TMetric overwrites whatever it overlaps:
// callers that must not lose time check Overlaps first.
func (c *Client) LogTime(ctx context.Context, s Scope, in EntryInput) (*Written, error) {
	const op = "log time"
	req, err := c.LogTimeRequest(s, in)
	return c.write(ctx, op, req, err, s, func(es []TimeEntry) *TimeEntry {
		return findByTimes(es, in.Start, in.End)
	})
}

func (c *Client) write(ctx context.Context, op string, req *Request, err error, s Scope, pick func([]TimeEntry) *TimeEntry) (*Written, error) {
	body, err := c.send(ctx, op, req, err)
	if err != nil {
		return nil, err
	}
	es, err := ParseTimeEntries(body, s.Location)
	if err != nil {
		return nil, withOp(op, err)
	}
	return &Written{Entry: pick(es), Entries: es}, nil
}

// StopOptions says when the running timer ends.
type StopOptions struct {
	// At is when the timer ends; zero means now (TMetric's break call with
	// null times). A past moment needs Entry.
	At time.Time
	// Entry is the running entry, as last read; required with At.
	Entry *TimeEntry
}

// StopTimerRequest builds the request StopTimer sends.
func (c *Client) StopTimerRequest(s Scope, opt StopOptions) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if opt.At.IsZero() {
		return c.NewRequest("POST", s.path("timeentries/break"), s.userQuery(), breakBody{})
	}
	if opt.Entry == nil || opt.Entry.ID == 0 {
		return nil, invalid("entry", "stopping at a given time needs the running entry")
	}
	e := *opt.Entry
	if !opt.At.After(e.Start) {
		return nil, invalid("endTime", "the stop time %s is not after the start %s", FormatClock(opt.At.In(s.Location), s.TimeFormat), FormatClock(e.Start.In(s.Location), s.TimeFormat))
	}
	if opt.At.After(c.clock.Now().Add(clockSkew)) {
		return nil, invalid("endTime", "the stop time is in the future")
	}
	e.End = opt.At
	return c.UpdateEntryRequest(s, e)
}

// StopTimer stops the running timer now or at opt.At.
func (c *Client) StopTimer(ctx context.Context, s Scope, opt StopOptions) (*Written, error) {
	const op = "stop timer"
	req, err := c.StopTimerRequest(s, opt)
	if err != nil || opt.At.IsZero() {
		return c.write(ctx, op, req, err, s, func(es []TimeEntry) *TimeEntry { return lastEnded(es) })
	}
	body, err := c.send(ctx, op, req, nil)
	if err != nil {
		return nil, err
	}
	e, err := ParseTimeEntry(body, s.Location)
	if err != nil {
		return nil, withOp(op, err)
	}
	return &Written{Entry: e}, nil
}

// breakBody is POST /timeentries/break; null times mean "stop now".
type breakBody struct {
	StartTime *string `json:"startTime"`
	EndTime   *string `json:"endTime"`
}

// UpdateEntryRequest builds the PUT that replaces entry e entirely (TMetric
// may treat PUT as a replacement, so every field is sent).
func (c *Client) UpdateEntryRequest(s Scope, e TimeEntry) (*Request, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if e.ID <= 0 {
		return nil, invalid("entry", "the entry has no id")
	}
	in := EntryInput{Note: CleanNote(e.Note), Start: e.Start, End: e.End}
	if e.Project != nil {
		in.ProjectID = e.Project.ID
	}
	if e.Task != nil {
		in.TaskID = e.Task.ID
	}
	for _, t := range e.Tags {
		in.TagIDs = append(in.TagIDs, t.ID)
	}
	if err := validateShape(in); err != nil {
		return nil, err
	}
	return c.NewRequest("PUT", s.path("timeentries/"+strconv.FormatInt(e.ID, 10)), nil, in.body(s.Location))
}

// UpdateEntry replaces entry e and returns it as TMetric stored it.
func (c *Client) UpdateEntry(ctx context.Context, s Scope, e TimeEntry) (*TimeEntry, error) {
	const op = "update entry"
	req, err := c.UpdateEntryRequest(s, e)
	body, err := c.send(ctx, op, req, err)
	if err != nil {
		return nil, err
	}
	got, err := ParseTimeEntry(body, s.Location)
	return got, withOp(op, err)
}

// DeleteEntry deletes entry id.
func (c *Client) DeleteEntry(ctx context.Context, s Scope, id int64) error {
	if err := s.check(); err != nil {
		return err
	}
	req, err := c.NewRequest("DELETE", s.path("timeentries/"+strconv.FormatInt(id, 10)), nil, nil)
	_, err = c.send(ctx, "delete entry", req, err)
	return err
}

// Projects lists the projects the user may track time to.
func (c *Client) Projects(ctx context.Context, s Scope) ([]Project, error) {
	return get(ctx, c, s, "list projects", "timeentries/projects", s.userQuery(),
		func(b []byte) ([]Project, error) { return ParseProjects(b, s.Location) })
}

// Tags lists tags and work types, those of projectID when it is not 0.
func (c *Client) Tags(ctx context.Context, s Scope, projectID int64) ([]Tag, error) {
	var q Query
	if projectID != 0 {
		q = Query{"projectId": strconv.FormatInt(projectID, 10)}
	}
	return get(ctx, c, s, "list tags", "timeentries/tags", q, ParseTags)
}

// Clients lists the workspace's clients.
func (c *Client) Clients(ctx context.Context, s Scope) ([]ClientBasic, error) {
	return get(ctx, c, s, "list clients", "clients", nil, ParseClients)
}

// Recent lists recently used note/project/task/tag combinations.
func (c *Client) Recent(ctx context.Context, s Scope) ([]RecentEntry, error) {
	return get(ctx, c, s, "list recent entries", "timeentries/recent", s.userQuery(), ParseRecent)
}

// get is every read under a workspace: check the scope, GET, parse, and
// stamp the operation on a parse error.
func get[T any](ctx context.Context, c *Client, s Scope, op, path string, q Query, parse func([]byte) (T, error)) (T, error) {
	var zero T
	if err := s.check(); err != nil {
		return zero, err
	}
	req, err := c.NewRequest("GET", s.path(path), q, nil)
	body, err := c.send(ctx, op, req, err)
	if err != nil {
		return zero, err
	}
	v, err := parse(body)
	if err != nil {
		return zero, withOp(op, err)
	}
	return v, nil
}

// RunningEntry returns the entry with no end, or nil.
func RunningEntry(es []TimeEntry) *TimeEntry {
	for i := range es {
		if es[i].Running() {
			return &es[i]
		}
	}
	return nil
}

func findByTimes(es []TimeEntry, start, end time.Time) *TimeEntry {
	for i := range es {
		if es[i].Start.Equal(start.Truncate(time.Second)) && es[i].End.Equal(end.Truncate(time.Second)) {
			return &es[i]
		}
	}
	return nil
}

// lastEnded is the finished entry with the latest end: the one a stop ended.
func lastEnded(es []TimeEntry) *TimeEntry {
	var best *TimeEntry
	for i := range es {
		if !es[i].Running() && (best == nil || es[i].End.After(best.End)) {
			best = &es[i]
		}
	}
	return best
}
