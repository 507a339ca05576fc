package tmetrictest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
)

var now = time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC) // 14:30 in Los Angeles

type harness struct {
	t    *testing.T
	fake *tmetrictest.Server
	srv  *httptest.Server
}

// newHarness serves the sandbox behind the contract, so every answer the
// fake gives in these tests is checked against TMetric's document too.
func newHarness(t *testing.T) *harness {
	fake := tmetrictest.NewSandbox(core.ClockFunc(func() time.Time { return now }))
	srv := httptest.NewServer(contract.Wrap(t, fake))
	t.Cleanup(srv.Close)
	return &harness{t, fake, srv}
}

func (h *harness) do(method, path, token, body string) (int, http.Header, string) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+tmetrictest.Prefix+path, strings.NewReader(body))
	require.NoError(h.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.srv.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

type wireEntry struct {
	ID        int64   `json:"id"`
	StartTime string  `json:"startTime"`
	EndTime   *string `json:"endTime"`
	Note      string  `json:"note"`
}

func decode(t *testing.T, body string) []wireEntry {
	t.Helper()
	var es []wireEntry
	require.NoError(t, json.Unmarshal([]byte(body), &es), body)
	return es
}

const entries = "/accounts/41001/timeentries"

func TestUnauthorizedIsEmptyWithBearerChallenge(t *testing.T) {
	fake := tmetrictest.NewSandbox(core.ClockFunc(func() time.Time { return now }))
	srv := httptest.NewServer(fake) // no contract: a request without a token breaks it
	defer srv.Close()
	for _, tok := range []string{"", "wrong"} {
		req, _ := http.NewRequest("GET", srv.URL+tmetrictest.Prefix+"/user", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 401, resp.StatusCode)
		assert.Equal(t, "Bearer", resp.Header.Get("WWW-Authenticate"))
		assert.Empty(t, body)
	}
}

func spans(es []wireEntry) []string {
	var out []string
	for _, e := range es {
		end := "running"
		if e.EndTime != nil {
			end = (*e.EndTime)[11:16]
		}
		out = append(out, e.StartTime[11:16]+"-"+end+" "+e.Note)
	}
	return out
}

func TestPostOverwritesWhatItOverlaps(t *testing.T) {
	h := newHarness(t)
	code, _, body := h.do("GET", entries+"?userId=7101&startDate=2026-12-03&endDate=2026-12-03", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, code)
	assert.Equal(t, []string{
		"08:53-09:18 Email & planning",
		"09:18-09:33 Standup",
		"09:38-11:13 Onboarding screens: empty states",
		"11:23-12:18 Lunch-and-learn: accessibility",
		"12:53-13:41 Code review: payment retries",
		"13:53-running Checkout: profile slow queries",
	}, spans(decode(t, body)), "the sandbox workday at 14:30 in Los Angeles")

	// 09:10-10:00 trims the email block, swallows the standup, trims onboarding.
	code, _, body = h.do("POST", entries+"?userId=7101", tmetrictest.SandboxToken,
		`{"startTime":"2026-12-03T09:10:00","endTime":"2026-12-03T10:00:00","note":"Client call","tags":[]}`)
	require.Equal(t, 200, code, body)
	assert.Equal(t, []string{
		"08:53-09:10 Email & planning",
		"09:10-10:00 Client call",
		"10:00-11:13 Onboarding screens: empty states",
		"11:23-12:18 Lunch-and-learn: accessibility",
		"12:53-13:41 Code review: payment retries",
		"13:53-running Checkout: profile slow queries",
	}, spans(decode(t, body)), "POST returns the whole day")

	// 10:30-10:45 inside onboarding splits it in two; the tail is a new entry.
	code, _, body = h.do("POST", entries+"?userId=7101", tmetrictest.SandboxToken,
		`{"startTime":"2026-12-03T10:30:00","endTime":"2026-12-03T10:45:00","note":"Interruption","tags":[]}`)
	require.Equal(t, 200, code, body)
	got := decode(t, body)
	assert.Equal(t, []string{"10:00-10:30 Onboarding screens: empty states", "10:30-10:45 Interruption", "10:45-11:13 Onboarding screens: empty states"}, spans(got)[2:5])
	assert.NotEqual(t, got[2].ID, got[4].ID)
}

func TestStartingATimerEndsTheRunningOne(t *testing.T) {
	h := newHarness(t)
	code, _, body := h.do("POST", entries+"?userId=7101", tmetrictest.SandboxToken, `{"startTime":null,"endTime":null,"note":"Next thing"}`)
	require.Equal(t, 200, code, body)
	running := 0
	for _, e := range decode(t, body) {
		if e.EndTime == nil {
			running++
			assert.Equal(t, "Next thing", e.Note)
			assert.Equal(t, "2026-12-03T14:30:00", e.StartTime, "null start is the fake clock's now, in the user's zone")
		}
		if e.Note == "Checkout: profile slow queries" {
			require.NotNil(t, e.EndTime)
			assert.Equal(t, "2026-12-03T14:30:00", *e.EndTime)
		}
	}
	assert.Equal(t, 1, running)
}

func TestBreakStopsOrCuts(t *testing.T) {
	h := newHarness(t)
	code, _, body := h.do("POST", entries+"/break?userId=7101", tmetrictest.SandboxToken, `{"startTime":null,"endTime":null}`)
	require.Equal(t, 200, code, body)
	for _, e := range decode(t, body) {
		require.NotNil(t, e.EndTime, "nothing runs after a stop")
	}
	// A break with times cuts that span out of the entries.
	code, _, body = h.do("POST", entries+"/break?userId=7101", tmetrictest.SandboxToken, `{"startTime":"2026-12-03T13:00:00","endTime":"2026-12-03T13:30:00"}`)
	require.Equal(t, 200, code, body)
	for _, e := range decode(t, body) {
		overlaps := e.StartTime < "2026-12-03T13:30:00" && *e.EndTime > "2026-12-03T13:00:00"
		assert.False(t, overlaps, "%+v", e)
	}
}

func TestLatestRecentAndEmptyUser(t *testing.T) {
	h := newHarness(t)
	code, _, body := h.do("GET", "/accounts/41001/timeentries/latest?userId=7102", tmetrictest.KiwiToken, "")
	assert.Equal(t, 200, code)
	assert.Empty(t, body, "a user with no entries gets an empty body")
	code, _, body = h.do("GET", "/accounts/41001/timeentries/latest?userId=7101", tmetrictest.SandboxToken, "")
	assert.Equal(t, 200, code)
	assert.Contains(t, body, `"endTime":null`)
}

func TestRulesAndPermissions(t *testing.T) {
	h := newHarness(t)
	code, _, body := h.do("POST", "/accounts/41002/timeentries?userId=7101", tmetrictest.SandboxToken, `{"startTime":null,"endTime":null,"note":"x"}`)
	assert.Equal(t, 400, code)
	assert.Contains(t, body, "requires a project")
	// A member cannot read another user's time; the owner can.
	code, _, _ = h.do("GET", entries+"?userId=7101&startDate=2026-12-03&endDate=2026-12-03", tmetrictest.KiwiToken, "")
	assert.Equal(t, 403, code)
	code, _, _ = h.do("GET", entries+"?userId=7102&startDate=2026-12-03&endDate=2026-12-03", tmetrictest.SandboxToken, "")
	assert.Equal(t, 200, code)
	code, _, _ = h.do("GET", "/accounts/41002/clients", tmetrictest.KiwiToken, "")
	assert.Equal(t, 403, code, "not a member of that workspace")
}

// The fake refuses what the real service would misread, so tests hear of it.
func TestFakeRefusesZonedTimestampsAndBadBodies(t *testing.T) {
	fake := tmetrictest.NewSandbox(core.ClockFunc(func() time.Time { return now }))
	srv := httptest.NewServer(fake) // no contract: these requests break it on purpose
	defer srv.Close()
	post := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+tmetrictest.Prefix+entries+"?userId=7101", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tmetrictest.SandboxToken)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for body, want := range map[string]string{
		`{"startTime":"2026-12-03T10:00:00Z","endTime":null}`:                         "carries a zone",
		`{"startTime":"2026-12-03T10:00:00-08:00","endTime":null}`:                    "carries a zone",
		`{"startTime":"2026-12-03T11:00:00","endTime":"2026-12-03T10:00:00"}`:         "later than the start",
		`{"startTime":null,"endTime":null,"note":"` + strings.Repeat("a", 401) + `"}`: "400 characters",
		`{"startTime":null,"endTime":null,"project":{"id":1}}`:                        "not found",
		`{"startTime":`: "not valid JSON",
	} {
		code, got := post(body)
		assert.Equal(t, 400, code, body)
		assert.Contains(t, got, want)
		assert.Contains(t, got, `"message"`)
	}
}

func TestFaultsLatencyAndRecording(t *testing.T) {
	h := newHarness(t)
	h.fake.Inject(tmetrictest.Fault{Path: "/user", Status: 503, Body: "<html>down</html>", Times: 2})
	for i := 0; i < 2; i++ {
		code, hdr, body := h.do("GET", "/user", tmetrictest.SandboxToken, "")
		assert.Equal(t, 503, code)
		assert.Equal(t, "text/html", hdr.Get("Content-Type"))
		assert.Equal(t, "<html>down</html>", body)
	}
	code, _, _ := h.do("GET", "/user", tmetrictest.SandboxToken, "")
	assert.Equal(t, 200, code, "the fault was used up")

	h.fake.Inject(tmetrictest.Fault{Drop: true})
	req, _ := http.NewRequest("GET", h.srv.URL+tmetrictest.Prefix+"/user", nil)
	req.Header.Set("Authorization", "Bearer "+tmetrictest.SandboxToken)
	_, err := h.srv.Client().Do(req)
	assert.Error(t, err, "a dropped connection")
	h.fake.ClearFaults()

	h.fake.SetLatency(80 * time.Millisecond)
	start := time.Now()
	h.do("GET", "/user", tmetrictest.SandboxToken, "")
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)

	rec := h.fake.Requests()
	last := rec[len(rec)-1]
	assert.Equal(t, "GET", last.Method)
	assert.Equal(t, "/user", last.Path)
	assert.Equal(t, "Bearer "+tmetrictest.SandboxToken, last.Header.Get("Authorization"))
}

func TestCORSPreflight(t *testing.T) {
	h := newHarness(t)
	req, _ := http.NewRequest("OPTIONS", h.srv.URL+tmetrictest.Prefix+entries, nil)
	req.Header.Set("Origin", "chrome-extension://abc")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := h.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, resp.Header.Get("Access-Control-Allow-Headers"), "Authorization")
	assert.Empty(t, h.fake.Requests(), "preflights are not recorded as API calls")
}

func TestSandboxData(t *testing.T) {
	h := newHarness(t)
	_, _, body := h.do("GET", "/accounts/41001/timeentries/projects?userId=7101", tmetrictest.SandboxToken, "")
	var ps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &ps))
	assert.Greater(t, len(ps), 280, "a few hundred active projects")
	_, _, body = h.do("GET", "/accounts/41001/clients", tmetrictest.SandboxToken, "")
	assert.Contains(t, body, "Acme Corp")
}
