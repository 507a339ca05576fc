// Package bridge is the one protocol between JavaScript and core: a method
// name and a JSON argument in, JSON out. It is plain Go, tested natively
// against the fake TMetric; the WebAssembly entry point only moves bytes
// between it and JavaScript.
//
// Every call's arguments may carry "config" (who and where):
//
//	{"token": "...", "baseUrl": "https://app.tmetric.com/api/v3",
//	 "profile": <the object "me" returned>, "accountId": 0, "userId": 0}
//
// accountId 0 means the profile's active workspace; a non-zero userId or an
// accountId outside the profile are the ids a user typed by hand.
//
// Methods (arguments besides config → result):
//
//	me            {token, baseUrl}                                → core.User
//	today         {}                                              → core.DayView
//	start         {note, projectId, taskId, tagIds, startMs}      → {day}
//	stop          {atMs, entryId}                                 → {day}
//	log           {startMs, endMs, note, projectId, taskId, tagIds} → {day}
//	projects      {}                                              → [{id, name, client}]
//	tags          {projectId}                                     → [core.Tag]
//	recent        {}                                              → [core.RecentEntry]
//	httpFile      {}                                              → {text}
//	checkBaseUrl  {baseUrl}                                       → {baseUrl}
//	quickNote     {text}                                          → {note}
//	pageNote      {title, url}                                    → {note}
//	logQuick      {minutes, atMs, note, projectId, taskId, tagIds} → {day, startMs, endMs}
//
// logQuick logs a finished block of minutes ending at atMs (default now)
// where it overwrites nothing: ending at atMs when that time is free, else
// at the end of the latest free gap today; it fails when no gap fits.
//
// A failure is an *Error value (see ErrorOf), never a panic.
package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/timebar/timebar/core"
)

// Bridge dispatches calls to core with one transport and clock.
type Bridge struct {
	Doer  core.Doer
	Clock core.Clock // nil: the system clock
}

// Config says whose TMetric to talk to.
type Config struct {
	Token     string    `json:"token"`
	BaseURL   string    `json:"baseUrl"`
	Profile   core.User `json:"profile"`
	AccountID int64     `json:"accountId"`
	UserID    int64     `json:"userId"`
}

type args struct {
	Config    Config  `json:"config"`
	Token     string  `json:"token"`
	BaseURL   string  `json:"baseUrl"`
	Note      string  `json:"note"`
	Text      string  `json:"text"`
	ProjectID int64   `json:"projectId"`
	TaskID    int64   `json:"taskId"`
	TagIDs    []int64 `json:"tagIds"`
	StartMs   int64   `json:"startMs"`
	EndMs     int64   `json:"endMs"`
	AtMs      int64   `json:"atMs"`
	EntryID   int64   `json:"entryId"`
	Minutes   int     `json:"minutes"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
}

// Call runs method with its JSON arguments and returns the JSON result.
func (b *Bridge) Call(ctx context.Context, method string, raw []byte) ([]byte, error) {
	var a args
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, &core.Error{Op: method, Kind: core.ErrInvalid, Message: "the arguments are not valid JSON: " + err.Error()}
		}
	}
	out, err := b.dispatch(ctx, method, a)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (b *Bridge) client(token, baseURL string) (*core.Client, error) {
	opts := []core.Option{core.WithTransport(b.Doer)}
	if b.Clock != nil {
		opts = append(opts, core.WithClock(b.Clock))
	}
	if baseURL != "" {
		opts = append(opts, core.WithBaseURL(baseURL))
	}
	return core.NewClient(token, opts...)
}

// scope resolves the workspace and user, honouring ids typed by hand.
func (c Config) scope() (core.Scope, error) {
	if c.Profile.ID == 0 && c.UserID == 0 {
		return core.Scope{}, &core.Error{Op: "configure", Kind: core.ErrConfig, Message: "no TMetric profile saved: save your token in the options"}
	}
	s, err := c.Profile.Scope(c.AccountID)
	if err != nil {
		if c.AccountID == 0 {
			return core.Scope{}, err
		}
		// A workspace id typed by hand that the profile does not list.
		s = core.Scope{AccountID: c.AccountID, UserID: c.Profile.ID, Location: c.Profile.Location(), TimeFormat: c.Profile.TimeFormat}
	}
	if c.UserID != 0 {
		s.UserID = c.UserID
	}
	return s, nil
}

func ms(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

type written struct {
	Day core.DayView `json:"day"`
}

func (b *Bridge) dispatch(ctx context.Context, method string, a args) (any, error) {
	switch method {
	case "checkBaseUrl":
		u, err := core.ParseBaseURL(a.BaseURL)
		if err != nil {
			return nil, err
		}
		return map[string]string{"baseUrl": u}, nil
	case "quickNote":
		return map[string]string{"note": core.QuickNote(a.Text)}, nil
	case "pageNote":
		return map[string]string{"note": core.PageNote(a.Title, a.URL)}, nil
	case "me":
		c, err := b.client(a.Token, a.BaseURL)
		if err != nil {
			return nil, err
		}
		return c.Me(ctx)
	}

	c, err := b.client(a.Config.Token, a.Config.BaseURL)
	if err != nil {
		return nil, err
	}
	s, err := a.Config.scope()
	if err != nil {
		return nil, err
	}
	today := func() (core.DayView, error) {
		d, err := c.Today(ctx, s)
		if err != nil {
			return core.DayView{}, err
		}
		return d.View(s), nil
	}
	afterWrite := func(err error) (any, error) {
		if err != nil {
			return nil, err
		}
		d, err := today()
		return written{Day: d}, err
	}
	in := core.EntryInput{Note: a.Note, ProjectID: a.ProjectID, TaskID: a.TaskID, TagIDs: a.TagIDs, Start: ms(a.StartMs), End: ms(a.EndMs)}

	switch method {
	case "today":
		return today()
	case "start":
		_, err := c.StartTimer(ctx, s, in)
		return afterWrite(err)
	case "log":
		_, err := c.LogTime(ctx, s, in)
		return afterWrite(err)
	case "stop":
		return afterWrite(b.stop(ctx, c, s, a))
	case "logQuick":
		return b.logQuick(ctx, c, s, in, a)
	case "projects":
		ps, err := c.Projects(ctx, s)
		if err != nil {
			return nil, err
		}
		return compactProjects(ps), nil
	case "tags":
		return c.Tags(ctx, s, a.ProjectID)
	case "recent":
		return c.Recent(ctx, s)
	case "httpFile":
		req, err := c.TodayRequest(s)
		if err != nil {
			return nil, err
		}
		return map[string]string{"text": req.HTTPFile("Today's time entries")}, nil
	}
	return nil, &core.Error{Op: method, Kind: core.ErrInvalid, Message: "unknown method " + method}
}

// stop ends the running timer now, or at atMs. With entryId it stops only
// that timer: a stop meant for one timer must never end another.
func (b *Bridge) stop(ctx context.Context, c *core.Client, s core.Scope, a args) error {
	if a.AtMs == 0 && a.EntryID == 0 {
		_, err := c.StopTimer(ctx, s, core.StopOptions{})
		return err
	}
	running, err := c.Running(ctx, s)
	if err != nil {
		return err
	}
	if running == nil || (a.EntryID != 0 && running.ID != a.EntryID) {
		return &core.Error{Op: "stop timer", Kind: core.ErrNotFound, Message: "that timer is no longer running (it was stopped elsewhere)"}
	}
	if a.AtMs == 0 {
		_, err = c.StopTimer(ctx, s, core.StopOptions{})
	} else {
		_, err = c.StopTimer(ctx, s, core.StopOptions{At: ms(a.AtMs), Entry: running})
	}
	return err
}

type quickLogged struct {
	Day     core.DayView `json:"day"`
	StartMs int64        `json:"startMs"`
	EndMs   int64        `json:"endMs"`
}

func (b *Bridge) logQuick(ctx context.Context, c *core.Client, s core.Scope, in core.EntryInput, a args) (any, error) {
	length := time.Duration(a.Minutes) * time.Minute
	if a.Minutes <= 0 || a.Minutes > 24*60 {
		return nil, &core.ValidationError{Field: "minutes", Problem: "log between 1 minute and 24 hours"}
	}
	end := ms(a.AtMs)
	if end.IsZero() {
		end = c.Now()
	}
	today := core.DateOf(end, s.Location)
	es, err := c.Entries(ctx, s, today.AddDays(-1), today)
	if err != nil {
		return nil, err
	}
	start, ok := core.FreeSlot(es, length, end, s.Location)
	if !ok {
		return nil, &core.ValidationError{Field: "time", Problem: "there is no free " + core.FormatDuration(length) +
			" today before " + core.FormatClock(end.In(s.Location), s.TimeFormat) + " that would not overwrite tracked time: open Timebar to log it by hand"}
	}
	in.Start, in.End = start, start.Add(length)
	if _, err := c.LogTime(ctx, s, in); err != nil {
		return nil, err
	}
	d, err := c.Today(ctx, s)
	if err != nil {
		return nil, err
	}
	return quickLogged{Day: d.View(s), StartMs: in.Start.UnixMilli(), EndMs: in.End.UnixMilli()}, nil
}

// ProjectView is a project as the picker needs it.
type ProjectView struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Client string `json:"client,omitempty"`
}

func compactProjects(ps []core.Project) []ProjectView {
	out := make([]ProjectView, 0, len(ps))
	for _, p := range ps {
		if p.Status != "" && p.Status != "active" {
			continue
		}
		v := ProjectView{ID: p.ID, Name: p.Name}
		if p.Client != nil {
			v.Client = p.Client.Name
		}
		out = append(out, v)
	}
	return out
}

// ErrorView is how a failure crosses into JavaScript.
type ErrorView struct {
	Kind         string `json:"kind"` // unauthorized, forbidden, notFound, badRequest, rateLimited, server, network, badResponse, invalid, config, internal
	Message      string `json:"message"`
	Status       int    `json:"status,omitempty"`
	Field        string `json:"field,omitempty"`
	Retriable    bool   `json:"retriable"`
	RetryAfterMs int64  `json:"retryAfterMs,omitempty"`
}

var kinds = []struct {
	err  error
	name string
}{
	{core.ErrUnauthorized, "unauthorized"}, {core.ErrForbidden, "forbidden"}, {core.ErrNotFound, "notFound"},
	{core.ErrBadRequest, "badRequest"}, {core.ErrRateLimited, "rateLimited"}, {core.ErrServer, "server"},
	{core.ErrNetwork, "network"}, {core.ErrBadResponse, "badResponse"}, {core.ErrInvalid, "invalid"}, {core.ErrConfig, "config"},
}

// ErrorOf describes err for JavaScript.
func ErrorOf(err error) ErrorView {
	v := ErrorView{Kind: "internal", Message: err.Error(), Retriable: core.Retriable(err)}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			v.Kind = k.name
			break
		}
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		v.Status = ce.StatusCode
		v.RetryAfterMs = ce.RetryAfter.Milliseconds()
		if ce.Message != "" {
			v.Message = ce.Message
		}
	}
	var ve *core.ValidationError
	if errors.As(err, &ve) {
		v.Field = ve.Field
		v.Message = ve.Problem
	}
	return v
}
