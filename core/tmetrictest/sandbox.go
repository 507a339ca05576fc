package tmetrictest

import (
	"fmt"
	"time"

	"github.com/timebar/timebar/core"
)

// The sandbox: realistic sample data for the demo, end-to-end tests and
// benchmarks. Everything is derived from the clock, so it is reproducible.
const (
	SandboxToken     = "sandbox-token-alex"  // Alex, Los Angeles, 12-hour clock
	KiwiToken        = "sandbox-token-aroha" // Aroha, Auckland, 24-hour clock
	SandboxAccountID = 41001                 // "Northwind Studio"
	StrictAccountID  = 41002                 // "Harbour Agency": requires a project
	SandboxUserID    = 7101
	KiwiUserID       = 7102
	SandboxZone      = "America/Los_Angeles"
	KiwiZone         = "Pacific/Auckland"
)

var clientNames = []string{"Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foundation",
	"Hooli", "Pied Piper", "Vandelay Imports", "Soylent Foods", "Tyrell Systems", "Cyberdyne", "Wonka Sweets",
	"Gringotts Bank", "Oceanic Air", "Monarch Studio", "Aperture Labs", "Black Mesa", "Nakatomi Trading", "Duff Brewing",
	"Krusty Krab", "Bluth Company", "Dunder Mifflin", "Sterling Cooper", "Prestige Worldwide", "Los Pollos", "Gekko & Co",
	"Massive Dynamic", "Virtucon", "Ollivanders", "Zorg Industries", "Spacely Sprockets", "Cogswell Cogs", "Rekall",
	"Weyland Yutani", "Oscorp", "LexCorp", "Kwik-E-Mart", "Paper Street Soap", "Mom's Friendly Robots"}

var projectKinds = []string{"Website redesign", "Mobile app", "Brand refresh", "Support retainer", "Data migration",
	"Marketing site", "API integration"}

// sandboxAccount builds a workspace with 40 clients and 300 projects.
func sandboxAccount(id int64, name string, rules core.TimeTracking) Account {
	a := Account{ID: id, Name: name, Rules: rules}
	for i, n := range clientNames {
		a.Clients = append(a.Clients, Client{ID: id*1000 + int64(i) + 1, Name: n})
	}
	a.Projects = append(a.Projects,
		Project{ID: id*10000 + 1, Name: "Internal", Status: "active"},
		Project{ID: id*10000 + 2, Name: "Meetings & admin", Status: "active"})
	for i := 0; len(a.Projects) < 300; i++ {
		c := a.Clients[i%len(a.Clients)]
		status := "active"
		if i%29 == 28 {
			status = "archived"
		}
		a.Projects = append(a.Projects, Project{ID: id*10000 + int64(len(a.Projects)) + 1,
			Name: fmt.Sprintf("%s %d", projectKinds[i%len(projectKinds)], i/len(projectKinds)+1), ClientID: c.ID,
			Status: status, IsBillable: i%3 != 0})
	}
	a.Tags = []Tag{{ID: id*100 + 1, Name: "Development", IsWorkType: true}, {ID: id*100 + 2, Name: "Design", IsWorkType: true},
		{ID: id*100 + 3, Name: "Meeting", IsWorkType: true}, {ID: id*100 + 4, Name: "Urgent"}, {ID: id*100 + 5, Name: "Bug"}}
	a.Tasks = []Task{
		{ID: id*100 + 51, ProjectID: a.Projects[2].ID, Name: "Checkout page loads slowly", Link: "https://github.com/northwind/shop/issues/482", IssueID: "#482"},
		{ID: id*100 + 52, ProjectID: a.Projects[3].ID, Name: "Onboarding screens"},
	}
	return a
}

// NewSandbox returns a fake with two workspaces, two users in different
// time zones and, for Alex, a workday of entries ending in a running timer.
func NewSandbox(clock core.Clock) *Server { return NewSandboxIn(clock, SandboxZone) }

// NewSandboxIn is NewSandbox with Alex living in zone (an IANA name).
func NewSandboxIn(clock core.Clock, zone string) *Server {
	s := New(clock)
	open := core.TimeTracking{AllowManualEditing: true, AllowNewTags: true, AllowNewTask: true}
	strict := open
	strict.RequireProject = true
	s.AddAccount(sandboxAccount(SandboxAccountID, "Northwind Studio", open))
	s.AddAccount(sandboxAccount(StrictAccountID, "Harbour Agency", strict))
	must(s.AddUser(User{ID: SandboxUserID, Name: "Alex Rivera", Email: "alex@northwind.example", Token: SandboxToken,
		Zone: zone, TimeFormat: core.TimeFormat12h, DateFormat: "MM/DD/YYYY", ActiveAccountID: SandboxAccountID,
		Roles: map[int64]string{SandboxAccountID: "owner", StrictAccountID: "member"}}))
	must(s.AddUser(User{ID: KiwiUserID, Name: "Aroha Ngata", Email: "aroha@northwind.example", Token: KiwiToken,
		Zone: KiwiZone, TimeFormat: core.TimeFormat24h, DateFormat: "DD/MM/YYYY", ActiveAccountID: SandboxAccountID,
		Roles: map[int64]string{SandboxAccountID: "member"}}))
	s.SeedWorkday(SandboxToken, SandboxAccountID)
	return s
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// SeedWorkday gives the user a morning of finished entries and a running
// timer that started 37 minutes ago (so it may cross midnight).
func (s *Server) SeedWorkday(token string, accountID int64) {
	s.mu.Lock()
	a := s.accounts[accountID]
	s.mu.Unlock()
	now := s.clock.Now().Truncate(time.Minute)
	p := func(i int) int64 { return a.Projects[i].ID }
	tag := func(i int) []int64 { return []int64{a.Tags[i].ID} }
	start := now.Add(-37 * time.Minute)
	s.AddEntry(token, accountID, EntryInput{Start: start, Note: "Checkout: profile slow queries", ProjectID: p(2), TaskID: a.Tasks[0].ID, TagIDs: tag(0)})
	// Earlier entries, newest first: duration and the gap before the next.
	plan := []struct {
		note     string
		proj     int
		tags     []int64
		dur, gap time.Duration
	}{
		{"Code review: payment retries", 2, tag(0), 48 * time.Minute, 12 * time.Minute},
		{"Lunch-and-learn: accessibility", 1, tag(2), 55 * time.Minute, 35 * time.Minute},
		{"Onboarding screens: empty states", 3, tag(1), 95 * time.Minute, 10 * time.Minute},
		{"Standup", 1, tag(2), 15 * time.Minute, 5 * time.Minute},
		{"Email & planning", 0, nil, 25 * time.Minute, 0},
	}
	end := start
	for _, e := range plan {
		end = end.Add(-e.gap)
		s.AddEntry(token, accountID, EntryInput{Start: end.Add(-e.dur), End: end, Note: e.note, ProjectID: p(e.proj), TagIDs: e.tags})
		end = end.Add(-e.dur)
	}
}

// MiddayZone picks a zone where it is between 10:00 and 21:00 at now and
// whose offset is not UTC's, so "today" is the user's own date and the
// whole sandbox workday falls inside it, whatever time the tests run.
func MiddayZone(now time.Time) string {
	for _, z := range []string{"America/Los_Angeles", "Pacific/Auckland", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Honolulu"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			continue
		}
		l := now.In(loc)
		_, off := l.Zone()
		if h := l.Hour(); h >= 10 && h < 21 && off != 0 {
			return z
		}
	}
	return "Asia/Kolkata"
}
