// Package tmetrictest is a faithful fake of the TMetric API v3 subset this
// product uses: an http.Handler with state and TMetric's real semantics
// (naive local timestamps in each user's zone, POST overwriting what it
// overlaps, starting a timer ending the running one, the break call, 401
// with an empty body), fault injection, request recording and realistic
// sample data. Tests, the sandbox and the benchmarks all run against it.
package tmetrictest

import (
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/timebar/timebar/core"
)

// Prefix is where the fake mounts the API, as TMetric does. Tests use a base
// URL of server.URL+Prefix, so a client that built an absolute path by
// mistake gets a 404 instead of a passing test.
const Prefix = "/api/v3"

// Server is the fake's state and handler. The zero value is not usable: call New.
type Server struct {
	mu       sync.Mutex
	clock    core.Clock
	users    map[string]*User // by token
	accounts map[int64]*Account
	nextID   int64
	faults   []*Fault
	latency  time.Duration
	requests []Recorded
}

// User is a fake TMetric user with a token and a time zone.
type User struct {
	ID              int64
	Name, Email     string
	Token           string
	Zone            string // IANA name
	TimeFormat      string // "H:mm" or "h:mm a"
	DateFormat      string
	ActiveAccountID int64
	Roles           map[int64]string // account id -> role
	entries         map[int64][]*entry
	loc             *time.Location
}

// Account is a fake workspace.
type Account struct {
	ID       int64
	Name     string
	Rules    core.TimeTracking
	Clients  []Client
	Projects []Project
	Tags     []Tag
	Tasks    []Task
}

// Client is a workspace's customer.
type Client struct {
	ID   int64
	Name string
}

// Project belongs to a workspace, optionally for a client.
type Project struct {
	ID         int64
	Name       string
	ClientID   int64
	Status     string // active, done, archived
	IsBillable bool
}

// Tag is a tag or work type.
type Tag struct {
	ID         int64
	Name       string
	IsWorkType bool
}

// Task belongs to a project and may link to an issue elsewhere.
type Task struct {
	ID        int64
	ProjectID int64
	Name      string
	Link      string // external issue URL, "" for none
	IssueID   string
}

type entry struct {
	ID        int64
	Start     time.Time
	End       time.Time // zero while running
	Note      string
	ProjectID int64
	TaskID    int64
	TagIDs    []int64
}

func (e *entry) running() bool { return e.End.IsZero() }

// New returns an empty fake reading time from clock (nil: the system clock).
func New(clock core.Clock) *Server {
	if clock == nil {
		clock = core.ClockFunc(time.Now)
	}
	return &Server{clock: clock, users: map[string]*User{}, accounts: map[int64]*Account{}, nextID: 90000}
}

// AddAccount adds or replaces a workspace.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := a
	s.accounts[a.ID] = &cp
}

// AddUser adds a user; Roles names the workspaces they belong to.
func (s *Server) AddUser(u User) error {
	loc, err := time.LoadLocation(u.Zone)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := u
	cp.loc = loc
	cp.entries = map[int64][]*entry{}
	if cp.TimeFormat == "" {
		cp.TimeFormat = core.TimeFormat24h
	}
	if cp.DateFormat == "" {
		cp.DateFormat = "YYYY-MM-DD"
	}
	s.users[u.Token] = &cp
	return nil
}

// Now is the fake's clock reading.
func (s *Server) Now() time.Time { return s.clock.Now() }

// EntryInput seeds an entry directly (no overwrite semantics).
type EntryInput struct {
	Start, End time.Time // End zero: running
	Note       string
	ProjectID  int64
	TaskID     int64
	TagIDs     []int64
}

// AddEntry stores an entry for the user with token in account, returning its id.
func (s *Server) AddEntry(token string, accountID int64, in EntryInput) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[token]
	s.nextID++
	u.entries[accountID] = append(u.entries[accountID], &entry{ID: s.nextID, Start: in.Start.In(u.loc).Truncate(time.Second),
		End: truncate(in.End, u.loc), Note: in.Note, ProjectID: in.ProjectID, TaskID: in.TaskID, TagIDs: in.TagIDs})
	sortEntries(u.entries[accountID])
	return s.nextID
}

func truncate(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc).Truncate(time.Second)
}

// Entry is a stored entry as tests inspect it.
type Entry struct {
	ID         int64
	Start, End time.Time
	Note       string
	ProjectID  int64
	TaskID     int64
	TagIDs     []int64
}

// Entries returns the user's stored entries in account, oldest first.
func (s *Server) Entries(token string, accountID int64) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Entry
	for _, e := range s.users[token].entries[accountID] {
		out = append(out, Entry{e.ID, e.Start, e.End, e.Note, e.ProjectID, e.TaskID, append([]int64(nil), e.TagIDs...)})
	}
	return out
}

// Location returns the time zone of the user with token.
func (s *Server) Location(token string) *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[token].loc
}

func sortEntries(es []*entry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start.Before(es[j].Start) })
}

// overwrite removes from es the time in [from, to), as TMetric's POST does:
// entries inside are deleted, entries across an edge are trimmed, and an
// entry around the whole span is split in two. A running entry runs to now.
func (s *Server) overwrite(es []*entry, from, to, now time.Time) []*entry {
	var out []*entry
	for _, e := range es {
		end := e.End
		if e.running() {
			end = now
		}
		if !e.Start.Before(to) || !end.After(from) {
			out = append(out, e)
			continue
		}
		if e.Start.Before(from) {
			head := *e
			head.End = from
			out = append(out, &head)
		}
		if end.After(to) {
			tail := *e
			tail.Start = to
			if !e.running() {
				tail.End = e.End
			}
			if e.Start.Before(from) {
				s.nextID++
				tail.ID = s.nextID // the split-off part is a new entry
			}
			out = append(out, &tail)
		}
	}
	sortEntries(out)
	return out
}

// StopRunning ends the user's running timer now, as if stopped in TMetric's
// web app; it reports whether one was running.
func (s *Server) StopRunning(token string, accountID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[token]
	for _, e := range u.entries[accountID] {
		if e.running() {
			e.End = s.clock.Now().In(u.loc).Truncate(time.Second)
			if !e.End.After(e.Start) {
				e.End = e.Start.Add(time.Second)
			}
			return true
		}
	}
	return false
}

// ServeLoopback serves h on 127.0.0.1 on a free port and returns the API
// base URL (with Prefix) and a function that stops it: the sandbox for the
// command line, the demo and the benchmarks.
func ServeLoopback(h http.Handler) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + Prefix, func() { srv.Close() }, nil
}
