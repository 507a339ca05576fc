package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/timebar/timebar/core"
)

// Every parser has a fuzz target seeded with the hostile corpus and real
// answers from the fake. `make fuzz` runs each for a while; `make test`
// runs each briefly.

var realAnswers = []string{
	`{"id":7101,"name":"Alex","email":"a@b.c","activeAccountId":1,"timeZone":{"id":"America/Los_Angeles","currentOffset":-8},"timeFormat":"h:mm a","accounts":[{"id":1,"name":"W","timeTracking":{"requireProject":true}}]}`,
	`[{"id":1,"startTime":"2026-12-03T09:00:00","endTime":"2026-12-03T09:30:00","note":"n","project":{"id":2,"name":"P","client":{"id":3,"name":"C"}},"task":{"id":4,"name":"T","externalLink":{"caption":"#1","iconUrl":"https://x","link":"https://x/1","issueId":"1"}},"tags":[{"id":5,"name":"Dev","isWorkType":true}]}]`,
	`{"id":1,"startTime":"2026-12-03T09:00:00.123","endTime":null}`,
	`[{"id":2,"name":"P","status":"active","recentUsageTime":"2026-12-01T10:00:00","client":null}]`,
	`[{"note":"n","project":{"id":2},"tags":[],"isPinned":true}]`,
	`[{"id":1,"name":"Acme"}]`,
}

func seed(f *testing.F) {
	for _, c := range hostile {
		if len(c.body) < 4096 {
			f.Add([]byte(c.body))
		}
	}
	for _, s := range realAnswers {
		f.Add([]byte(s))
	}
}

// onlyBadResponse fails the fuzz run when a parser returns any other error.
func onlyBadResponse(t *testing.T, err error) {
	if err != nil && !errors.Is(err, core.ErrBadResponse) {
		t.Fatalf("unexpected error kind: %v", err)
	}
}

func FuzzParseUser(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := core.ParseUser(b)
		onlyBadResponse(t, err)
		if err == nil {
			_ = u.Location() // any zone text resolves to some location
			_, _ = u.Scope(0)
		}
	})
}

func FuzzParseTimeEntries(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := core.ParseTimeEntries(b, auckland)
		onlyBadResponse(t, err)
		for _, e := range es {
			if e.Start.IsZero() {
				t.Fatalf("entry %d parsed without a start", e.ID)
			}
		}
		if err == nil {
			// The summary copes with whatever parsed.
			core.Summarize(es, core.DateOf(thursday, auckland), core.Scope{Location: auckland}, thursday)
		}
	})
}

func FuzzParseTimeEntry(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := core.ParseTimeEntry(b, la)
		onlyBadResponse(t, err)
	})
}

func FuzzParseProjects(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := core.ParseProjects(b, la)
		onlyBadResponse(t, err)
	})
}

func FuzzParseTags(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := core.ParseTags(b)
		onlyBadResponse(t, err)
	})
}

func FuzzParseClients(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := core.ParseClients(b)
		onlyBadResponse(t, err)
	})
}

func FuzzParseRecent(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := core.ParseRecent(b)
		onlyBadResponse(t, err)
	})
}

func FuzzParseErrorMessage(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if m := core.ParseErrorMessage(b); len([]rune(m)) > 501 {
			t.Fatalf("message not clipped: %d runes", len([]rune(m)))
		}
	})
}

// A timestamp that parses formats back to the same wall-clock time.
func FuzzParseWire(f *testing.F) {
	for _, s := range []string{"2026-12-03T09:00:00", "2026-12-03T09:00:00.1234567", "2026-12-03T09:00:00Z",
		"2026-03-08T02:30:00", "2026-12-03T09:00:00+13:00", "2026-12-03T09:05", "", "x", "2026-04-05T02:30:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := core.ParseWire(s, auckland)
		if err != nil {
			return
		}
		w := core.FormatWire(tm, auckland)
		again, err := core.ParseWire(w, auckland)
		if err != nil {
			t.Fatalf("%q formatted as %q, which does not parse: %v", s, w, err)
		}
		if !again.Equal(tm.Truncate(time.Second)) && core.FormatWire(again, auckland) != w {
			t.Fatalf("%q -> %q -> %v", s, w, again)
		}
	})
}

// The base-URL policy never lets plain HTTP leave this computer, and what it
// accepts is stable: parsing its own output gives the same URL.
func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{core.DefaultBaseURL, "http://127.0.0.1:8080/api/v3", "http://[::1]/x", "http://localhost",
		"https://user@host/", "http://127.0.0.1.evil/", "ftp://x/", "https://x:0/", "https://x/a/../b", "", "://", "https://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := core.ParseBaseURL(raw)
		if err != nil {
			if !errors.Is(err, core.ErrConfig) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if strings.HasPrefix(u, "http://") {
			host := strings.TrimPrefix(u, "http://")
			if i := strings.IndexByte(host, '/'); i >= 0 {
				host = host[:i]
			}
			if h, _, ok := strings.Cut(strings.TrimPrefix(host, "["), "]"); ok {
				host = h
			} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
				host = host[:i]
			}
			if !core.IsLoopbackHost(host) {
				t.Fatalf("%q accepted as %q: plain HTTP to %q", raw, u, host)
			}
		} else if !strings.HasPrefix(u, "https://") {
			t.Fatalf("%q accepted as %q", raw, u)
		}
		again, err := core.ParseBaseURL(u)
		if err != nil || again != u {
			t.Fatalf("%q -> %q -> %q, %v", raw, u, again, err)
		}
	})
}

// A date that parses prints back as the same YYYY-MM-DD.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-03", "2024-02-29", "2026-02-29", "0000-01-01", "12/03/2026", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := core.ParseDate(s)
		if err != nil {
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed as %s", s, d)
		}
	})
}
