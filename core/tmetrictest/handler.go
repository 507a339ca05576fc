package tmetrictest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const wireLayout = "2006-01-02T15:04:05"

// ServeHTTP implements the API under Prefix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Extension pages without a host permission for loopback fetch with
	// CORS: answer preflights the way a permissive API would.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	s.record(r)
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	if f := s.fault(r); f != nil {
		f.serve(w)
		return
	}
	if !strings.HasPrefix(r.URL.Path, Prefix+"/") {
		writeError(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.authenticate(r)
	if u == nil {
		// TMetric's 401: an empty body and a Bearer challenge.
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	status, body := s.route(r, u, strings.Split(strings.TrimPrefix(r.URL.Path, Prefix+"/"), "/"))
	if status >= 400 {
		writeError(w, status, body.(string))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if body != nil {
		_ = json.NewEncoder(w).Encode(body)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": status, "message": msg})
}

func (s *Server) authenticate(r *http.Request) *User {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		return nil
	}
	return s.users[strings.TrimPrefix(auth, "Bearer ")]
}

type errMsg = string

// route dispatches; it returns a status and a JSON-able body, or a message for errors.
func (s *Server) route(r *http.Request, u *User, p []string) (int, any) {
	m := r.Method
	if len(p) == 1 && p[0] == "user" && m == http.MethodGet {
		return 200, s.userJSON(u)
	}
	if len(p) < 3 || p[0] != "accounts" {
		return 404, errMsg("No HTTP resource was found that matches the request URI.")
	}
	accountID, err := strconv.ParseInt(p[1], 10, 64)
	if err != nil {
		return 400, errMsg("The value '" + p[1] + "' is not valid for accountId.")
	}
	acct := s.accounts[accountID]
	role, member := u.Roles[accountID]
	if acct == nil || !member {
		return 403, errMsg("Access denied: you are not a member of this workspace.")
	}
	target := u
	if q := r.URL.Query().Get("userId"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			return 400, errMsg("The value '" + q + "' is not valid for userId.")
		}
		if target = s.userByID(id); target == nil || id != u.ID && role != "admin" && role != "owner" {
			return 403, errMsg("Access denied: you cannot see this user's time.")
		}
	}
	rest := strings.Join(p[2:], "/")
	switch {
	case rest == "clients" && m == http.MethodGet:
		return 200, clientsJSON(acct)
	case rest == "timeentries" && m == http.MethodGet:
		return s.listEntries(r, acct, target)
	case rest == "timeentries" && m == http.MethodPost:
		return s.postEntry(r, acct, target)
	case rest == "timeentries/break" && m == http.MethodPost:
		return s.postBreak(r, acct, target)
	case rest == "timeentries/latest" && m == http.MethodGet:
		es := target.entries[acct.ID]
		if len(es) == 0 {
			return 200, nil // TMetric answers a user with no entries with an empty body
		}
		latest := es[0]
		for _, e := range es {
			if !e.Start.Before(latest.Start) {
				latest = e
			}
		}
		return 200, s.entryJSON(acct, target, latest)
	case rest == "timeentries/recent" && m == http.MethodGet:
		return 200, s.recentJSON(acct, target)
	case rest == "timeentries/projects" && m == http.MethodGet:
		return 200, s.projectsJSON(acct, target)
	case rest == "timeentries/tags" && m == http.MethodGet:
		return 200, tagsJSON(acct)
	case strings.HasPrefix(rest, "timeentries/") && len(p) == 4:
		id, err := strconv.ParseInt(p[3], 10, 64)
		if err != nil {
			return 400, errMsg("The value '" + p[3] + "' is not valid for timeEntryId.")
		}
		switch m {
		case http.MethodPut:
			return s.putEntry(r, acct, target, id)
		case http.MethodDelete:
			es := target.entries[acct.ID]
			for i, e := range es {
				if e.ID == id {
					target.entries[acct.ID] = append(es[:i:i], es[i+1:]...)
					return 200, nil
				}
			}
			return 404, errMsg("Time entry not found.")
		}
	}
	return 404, errMsg("No HTTP resource was found that matches the request URI.")
}

func (s *Server) userByID(id int64) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (s *Server) listEntries(r *http.Request, acct *Account, u *User) (int, any) {
	q := r.URL.Query()
	first, err1 := time.ParseInLocation("2006-01-02", q.Get("startDate"), u.loc)
	last, err2 := time.ParseInLocation("2006-01-02", q.Get("endDate"), u.loc)
	if err1 != nil || err2 != nil {
		return 400, errMsg("startDate and endDate are required, as YYYY-MM-DD.")
	}
	return 200, s.entriesBetween(acct, u, first, last.AddDate(0, 0, 1))
}

// entriesBetween lists the entries that start in [from, to).
func (s *Server) entriesBetween(acct *Account, u *User, from, to time.Time) []map[string]any {
	out := []map[string]any{}
	for _, e := range u.entries[acct.ID] {
		if !e.Start.Before(from) && e.Start.Before(to) {
			out = append(out, s.entryJSON(acct, u, e))
		}
	}
	return out
}

// dayOf returns the entries of the days that [start, end] spans, as POST answers.
func (s *Server) dayOf(acct *Account, u *User, start, end time.Time) []map[string]any {
	y, m, d := start.In(u.loc).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, u.loc)
	if end.IsZero() || end.Before(start) {
		end = start
	}
	y, m, d = end.In(u.loc).Date()
	to := time.Date(y, m, d+1, 0, 0, 0, 0, u.loc)
	return s.entriesBetween(acct, u, from, to)
}

// entryBody is what clients send to POST and PUT.
type entryBody struct {
	StartTime *string `json:"startTime"`
	EndTime   *string `json:"endTime"`
	Note      *string `json:"note"`
	Project   *struct {
		ID int64 `json:"id"`
	} `json:"project"`
	Task *struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"task"`
	Tags []struct {
		ID int64 `json:"id"`
	} `json:"tags"`
}

// parseEntry validates a POST/PUT body the way TMetric does and resolves
// null times to now.
func (s *Server) parseEntry(r *http.Request, acct *Account, u *User, now time.Time) (*entry, string) {
	var b entryBody
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&b); err != nil {
		return nil, "The request body is not valid JSON: " + err.Error()
	}
	e := &entry{}
	var err error
	if e.Start, err = parseWire(b.StartTime, u.loc, now); err != nil {
		return nil, "startTime: " + err.Error()
	}
	if b.EndTime != nil {
		if e.End, err = parseWire(b.EndTime, u.loc, now); err != nil {
			return nil, "endTime: " + err.Error()
		}
		if !e.End.After(e.Start) {
			return nil, "The end time must be later than the start time."
		}
	}
	if b.Note != nil {
		e.Note = *b.Note
	}
	if utf8.RuneCountInString(e.Note) > 400 {
		return nil, "The note must be 400 characters or fewer."
	}
	if b.Project != nil {
		if !hasProject(acct, b.Project.ID) {
			return nil, fmt.Sprintf("Project %d not found in this workspace.", b.Project.ID)
		}
		e.ProjectID = b.Project.ID
	}
	if b.Task != nil {
		if b.Task.ID != 0 && !hasTask(acct, b.Task.ID) {
			return nil, fmt.Sprintf("Task %d not found.", b.Task.ID)
		}
		e.TaskID = b.Task.ID
	}
	for _, t := range b.Tags {
		if !hasTag(acct, t.ID) {
			return nil, fmt.Sprintf("Tag %d not found.", t.ID)
		}
		e.TagIDs = append(e.TagIDs, t.ID)
	}
	rules := acct.Rules
	switch {
	case rules.RequireProject && e.ProjectID == 0:
		return nil, "The workspace requires a project for time entries."
	case rules.RequireTask && e.TaskID == 0:
		return nil, "The workspace requires a task for time entries."
	case rules.RequireTags && len(e.TagIDs) == 0:
		return nil, "The workspace requires tags for time entries."
	case rules.RequireDescription && strings.TrimSpace(e.Note) == "":
		return nil, "The workspace requires a description for time entries."
	}
	return e, ""
}

// parseWire reads a naive local timestamp; null is now. A "Z" or offset is
// refused: the real service would silently shift the entry, and a test
// should hear about it.
func parseWire(v *string, loc *time.Location, now time.Time) (time.Time, error) {
	if v == nil {
		return now.In(loc).Truncate(time.Second), nil
	}
	s := *v
	if strings.HasSuffix(s, "Z") || strings.LastIndexAny(s, "+-") > len("2006-01-02") {
		return time.Time{}, fmt.Errorf("%q carries a zone; TMetric wants naive local time", s)
	}
	t, err := time.ParseInLocation(wireLayout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DDTHH:MM:SS", s)
	}
	return t, nil
}

func (s *Server) postEntry(r *http.Request, acct *Account, u *User) (int, any) {
	now := s.clock.Now().In(u.loc).Truncate(time.Second)
	e, msg := s.parseEntry(r, acct, u, now)
	if msg != "" {
		return 400, msg
	}
	s.nextID++
	e.ID = s.nextID
	es := u.entries[acct.ID]
	end := e.End
	if e.running() {
		// A new timer ends the running one and claims the time from its start.
		end = later(now, e.Start)
		for _, old := range es {
			if old.running() && old.Start.Before(e.Start) {
				old.End = e.Start
			}
		}
	}
	es = s.overwrite(es, e.Start, end, now)
	// A timer started at a past moment also ends one that began after it.
	if e.running() {
		es = dropRunning(es)
	}
	u.entries[acct.ID] = append(es, e)
	sortEntries(u.entries[acct.ID])
	return 200, s.dayOf(acct, u, e.Start, e.End)
}

func dropRunning(es []*entry) []*entry {
	out := es[:0]
	for _, e := range es {
		if !e.running() {
			out = append(out, e)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (s *Server) postBreak(r *http.Request, acct *Account, u *User) (int, any) {
	now := s.clock.Now().In(u.loc).Truncate(time.Second)
	var b entryBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		return 400, errMsg("The request body is not valid JSON: " + err.Error())
	}
	if b.StartTime == nil && b.EndTime == nil {
		// Stop now: end the running timer.
		for _, e := range u.entries[acct.ID] {
			if e.running() {
				if !now.After(e.Start) {
					now = e.Start.Add(time.Second)
				}
				e.End = now
				return 200, s.dayOf(acct, u, e.Start, e.End)
			}
		}
		return 200, s.dayOf(acct, u, now, now)
	}
	from, err1 := parseWire(b.StartTime, u.loc, now)
	to, err2 := parseWire(b.EndTime, u.loc, now)
	if err1 != nil || err2 != nil || !to.After(from) {
		return 400, errMsg("A break needs a start before its end.")
	}
	u.entries[acct.ID] = s.overwrite(u.entries[acct.ID], from, to, now)
	return 200, s.dayOf(acct, u, from, to)
}

func (s *Server) putEntry(r *http.Request, acct *Account, u *User, id int64) (int, any) {
	now := s.clock.Now().In(u.loc).Truncate(time.Second)
	var old *entry
	for _, e := range u.entries[acct.ID] {
		if e.ID == id {
			old = e
		}
	}
	if old == nil {
		return 404, errMsg("Time entry not found.")
	}
	if !acct.Rules.AllowManualEditing {
		return 403, errMsg("Manual editing of time entries is disabled in this workspace.")
	}
	e, msg := s.parseEntry(r, acct, u, now)
	if msg != "" {
		return 400, msg
	}
	e.ID = id
	others := make([]*entry, 0, len(u.entries[acct.ID]))
	for _, x := range u.entries[acct.ID] {
		if x.ID != id {
			others = append(others, x)
		}
	}
	end := e.End
	if e.running() {
		end = later(now, e.Start)
	}
	others = s.overwrite(others, e.Start, end, now)
	u.entries[acct.ID] = append(others, e)
	sortEntries(u.entries[acct.ID])
	return 200, s.entryJSON(acct, u, e)
}

func hasProject(a *Account, id int64) bool {
	for _, p := range a.Projects {
		if p.ID == id {
			return true
		}
	}
	return false
}

func hasTask(a *Account, id int64) bool {
	for _, t := range a.Tasks {
		if t.ID == id {
			return true
		}
	}
	return false
}

func hasTag(a *Account, id int64) bool {
	for _, t := range a.Tags {
		if t.ID == id {
			return true
		}
	}
	return false
}
