package core_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
)

func TestParseTimeEntries(t *testing.T) {
	body := `[
	  {"id": 11, "startTime": "2026-12-03T09:00:00", "endTime": "2026-12-03T09:30:00.337", "note": "Standup",
	   "project": {"id": 5, "name": "Web", "client": {"id": 7, "name": "Acme"}, "status": "active", "isBillable": true},
	   "task": {"id": 3, "name": "Fix", "externalLink": {"Caption": "#4", "IconUrl": "https://x/i.png", "Link": "https://x/4", "IssueId": "4"}},
	   "tags": [{"id": 1, "name": "Dev", "isWorkType": true}], "isBillable": true, "isInvoiced": false, "somethingNew": {"a": [1]}},
	  {"ID": 12, "StartTime": "2026-12-03T10:00:00", "EndTime": null, "Note": "שלום 👋", "Project": null, "Tags": null}
	]`
	es, err := core.ParseTimeEntries([]byte(body), la)
	require.NoError(t, err)
	require.Len(t, es, 2)
	a := es[0]
	assert.Equal(t, int64(11), a.ID)
	assert.True(t, a.Start.Equal(time.Date(2026, 12, 3, 9, 0, 0, 0, la)))
	assert.Equal(t, 337*time.Millisecond, a.End.Sub(time.Date(2026, 12, 3, 9, 30, 0, 0, la)), "fractional seconds")
	assert.Equal(t, "Acme", a.Project.Client.Name)
	assert.Equal(t, "#4", a.Task.ExternalLink.Caption, "capitalised keys")
	assert.Equal(t, "https://x/4", a.Task.ExternalLink.Link)
	assert.True(t, a.Tags[0].IsWorkType)
	assert.True(t, a.IsBillable)
	b := es[1]
	assert.True(t, b.Running())
	assert.Equal(t, "שלום 👋", b.Note)
	assert.Nil(t, b.Project)
	assert.Empty(t, b.Tags)
}

func TestParseWireZones(t *testing.T) {
	naive, err := core.ParseWire("2026-03-08T02:30:00", la) // inside LA's spring-forward gap
	require.NoError(t, err)
	assert.Equal(t, 2026, naive.Year())
	z, err := core.ParseWire("2026-12-03T17:00:00Z", la)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-03T09:00:00", core.FormatWire(z, la), "a stray Z names an instant")
	off, err := core.ParseWire("2026-12-04T06:00:00+13:00", la)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-03T09:00:00", core.FormatWire(off, la))
	short, err := core.ParseWire("2026-12-03T09:05", la)
	require.NoError(t, err)
	assert.Equal(t, 5, short.Minute())
	for _, bad := range []string{"", "yesterday", "2026-13-03T09:00:00", "2026-12-03 09:00:00", "2026-12-03T25:00:00"} {
		_, err := core.ParseWire(bad, la)
		assert.Error(t, err, bad)
	}
}

func TestParseUserCaseAndNulls(t *testing.T) {
	u, err := core.ParseUser([]byte(`{"Id": 9, "Name": "Zoë", "TimeZone": {"Id": "Europe/Berlin", "CurrentOffset": 1},
		"Accounts": [{"Id": 3, "Name": "W", "TimeTracking": {"RequireProject": true, "RequireTags": null}}], "email": null}`))
	require.NoError(t, err)
	assert.Equal(t, int64(9), u.ID)
	assert.Equal(t, "Europe/Berlin", u.Location().String())
	assert.True(t, u.Accounts[0].Rules.RequireProject)
	assert.False(t, u.Accounts[0].Rules.RequireTags)
	// An unknown zone falls back to the reported offset.
	u, err = core.ParseUser([]byte(`{"id": 9, "timeZone": {"id": "Mars/Olympus", "currentOffset": 5.5}}`))
	require.NoError(t, err)
	_, off := thursday.In(u.Location()).Zone()
	assert.Equal(t, 5*3600+1800, off)
}

func TestParseLatestMayBeEmpty(t *testing.T) {
	for _, body := range []string{"", " \n", "null"} {
		e, err := core.ParseTimeEntry([]byte(body), la)
		assert.NoError(t, err)
		assert.Nil(t, e)
	}
}

func TestParseErrorMessage(t *testing.T) {
	assert.Equal(t, "Bad project", core.ParseErrorMessage([]byte(`{"statusCode":400,"message":"Bad project"}`)))
	assert.Equal(t, "Bad project", core.ParseErrorMessage([]byte(`{"Message":"Bad project"}`)))
	assert.Equal(t, "", core.ParseErrorMessage([]byte(`<html>502</html>`)))
	assert.Equal(t, "", core.ParseErrorMessage([]byte(`{"message": 42}`)))
	assert.Equal(t, "", core.ParseErrorMessage(nil))
}

func nested(depth int) string {
	return `[{"id":1,"startTime":"2026-12-03T09:00:00","note":"x","extra":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}]`
}

func bigDay(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"startTime":"2026-12-03T%02d:%02d:00","endTime":"2026-12-03T%02d:%02d:30","note":"n%d","tags":[]}`,
			i+1, i/60%24, i%60, i/60%24, i%60, i)
	}
	b.WriteString("]")
	return b.String()
}

// hostile is a corpus of answers no parser may panic on; each must give
// ErrBadResponse or parse, as the want column says.
var hostile = []struct {
	name string
	body string
	ok   bool
}{
	{"empty", ``, false},
	{"whitespace", "  \n\t ", false},
	{"truncated", `[{"id": 1, "startTime": "2026-12-03T09:00:00"`, false},
	{"malformed fixture", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "note": "cut off`, false},
	{"html 502", `<html><head><title>502 Bad Gateway</title></head></html>`, false},
	{"error object", `{"Message": "An error has occurred."}`, false},
	{"string root", `"hello"`, false},
	{"number root", `42`, false},
	{"null root", `null`, false},
	{"trailing garbage", `[] []`, false},
	{"nul byte", "[\x00]", false},
	{"invalid utf8 string", "[{\"id\":1,\"startTime\":\"2026-12-03T09:00:00\",\"note\":\"\xff\xfe\"}]", true},
	{"id as string", `[{"id": "11", "startTime": "2026-12-03T09:00:00"}]`, false},
	{"id as float", `[{"id": 1.5, "startTime": "2026-12-03T09:00:00"}]`, false},
	{"id huge", `[{"id": 1e300, "startTime": "2026-12-03T09:00:00"}]`, false},
	{"id missing", `[{"startTime": "2026-12-03T09:00:00"}]`, false},
	{"start missing", `[{"id": 1}]`, false},
	{"start as number", `[{"id": 1, "startTime": 1764750000}]`, false},
	{"start garbage", `[{"id": 1, "startTime": "soon"}]`, false},
	{"note as object", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "note": {"a": 1}}]`, false},
	{"project as array", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "project": [1]}]`, false},
	{"project id as bool", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "project": {"id": true}}]`, false},
	{"tags as object", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "tags": {"id": 1}}]`, false},
	{"tag is a number", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "tags": [7]}]`, false},
	{"billable as string", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "isBillable": "yes"}]`, false},
	{"element null", `[null]`, false},
	{"element number", `[1, 2]`, false},
	{"nulls everywhere", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "endTime": null, "note": null, "project": null, "task": null, "tags": null, "isBillable": null, "isInvoiced": null}]`, true},
	{"empty array", `[]`, true},
	{"unknown fields", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "x": {"y": [null, {"z": 1}]}}]`, true},
	{"emoji and rtl", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "note": "مرحبا 👩🏽‍💻 \u202e tfel"}]`, true},
	{"400-char note", `[{"id": 1, "startTime": "2026-12-03T09:00:00", "note": "` + strings.Repeat("ü", 400) + `"}]`, true},
	{"nested 1000", nested(1000), true},
	{"nested 100000", nested(100000), true},
	{"10000 entries", bigDay(10000), true},
	{"duplicate keys", `[{"id": 1, "id": 2, "startTime": "2026-12-03T09:00:00"}]`, true},
}

func TestHostileCorpusNeverPanics(t *testing.T) {
	for _, c := range hostile {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(c.body)
			_, err := core.ParseTimeEntries(body, la)
			if c.ok {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.ErrorIs(t, err, core.ErrBadResponse)
				assert.Contains(t, err.Error(), "unexpected response")
			}
			// The other parsers must not panic on any of it either, and
			// must fail with ErrBadResponse when they fail.
			for _, parse := range allParsers {
				if err := parse(body); err != nil {
					assert.ErrorIs(t, err, core.ErrBadResponse)
				}
			}
			core.ParseErrorMessage(body)
		})
	}
}

var allParsers = map[string]func([]byte) error{
	"user":     func(b []byte) error { _, err := core.ParseUser(b); return err },
	"entries":  func(b []byte) error { _, err := core.ParseTimeEntries(b, la); return err },
	"entry":    func(b []byte) error { _, err := core.ParseTimeEntry(b, auckland); return err },
	"projects": func(b []byte) error { _, err := core.ParseProjects(b, la); return err },
	"tags":     func(b []byte) error { _, err := core.ParseTags(b); return err },
	"clients":  func(b []byte) error { _, err := core.ParseClients(b); return err },
	"recent":   func(b []byte) error { _, err := core.ParseRecent(b); return err },
}

func TestInvalidUTF8BecomesReplacementCharacters(t *testing.T) {
	es, err := core.ParseTimeEntries([]byte("[{\"id\":1,\"startTime\":\"2026-12-03T09:00:00\",\"note\":\"a\xffb\"}]"), la)
	require.NoError(t, err)
	assert.Equal(t, "a\uFFFDb", es[0].Note)
}

func TestWrongTypesNameTheirPath(t *testing.T) {
	_, err := core.ParseTimeEntries([]byte(`[{"id":1,"startTime":"2026-12-03T09:00:00"},{"id":2,"startTime":"2026-12-03T10:00:00","project":{"id":"x"}}]`), la)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "entries[1].project.id should be an integer, got a string")
	_, err = core.ParseUser([]byte(`{"id": 1, "accounts": [{"id": 2, "timeTracking": {"requireProject": "yes"}}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "user.accounts[0].timetracking.requireproject should be true or false")
	_, err = core.ParseUser([]byte(`{"name": "no id"}`))
	assert.ErrorIs(t, err, core.ErrBadResponse)
}

// The fast path and time.Parse agree on every naive timestamp.
func TestNaiveFastPathMatchesTimeParse(t *testing.T) {
	for _, s := range []string{"2026-12-03T09:05:07", "2026-12-03T09:05:07.5", "2026-12-03T09:05:07.123456789",
		"2024-02-29T23:59:59", "2026-03-08T02:30:00", "2026-11-01T01:30:00", "0001-01-01T00:00:00"} {
		got, err := core.ParseWire(s, la)
		require.NoError(t, err, s)
		want, err := time.ParseInLocation("2006-01-02T15:04:05", s, la)
		require.NoError(t, err, s)
		assert.True(t, want.Equal(got), "%s: %v vs %v", s, got, want)
	}
	for _, s := range []string{"2026-02-29T09:00:00", "2026-12-03T24:00:00", "2026-12-03T09:60:00", "2026-00-03T09:00:00",
		"2026-12-03T09:00:00.", "2026-12-03T09:00:00.12a", "2026-12-3T09:00:00", "+026-12-03T09:00:00"} {
		_, err := core.ParseWire(s, la)
		assert.Error(t, err, s)
	}
}
