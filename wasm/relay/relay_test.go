package relay_test

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
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
	"github.com/timebar/timebar/tests/contract"
	"github.com/timebar/timebar/wasm/relay"
)

var now = time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC) // 14:30 in Los Angeles

type harness struct {
	t     *testing.T
	fake  *tmetrictest.Server
	relay *httptest.Server
}

func newHarness(t *testing.T) *harness {
	clk := core.ClockFunc(func() time.Time { return now })
	fake := tmetrictest.NewSandbox(clk)
	upstream := httptest.NewServer(contract.Wrap(t, fake))
	t.Cleanup(upstream.Close)
	h := relay.New(relay.Options{BaseURL: upstream.URL + tmetrictest.Prefix, Doer: nethttp.New(upstream.Client()), Clock: clk})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, relay: srv}
}

type reply struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (h *harness) do(method, path, token, body string, headers ...string) reply {
	h.t.Helper()
	req, err := http.NewRequest(method, h.relay.URL+path, strings.NewReader(body))
	require.NoError(h.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.relay.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return reply{resp.StatusCode, resp.Header, m, string(raw)}
}

func errorOf(r reply) map[string]any {
	e, _ := r.Body["error"].(map[string]any)
	return e
}

func TestToday(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/v1/today", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, r.Status, r.Raw)
	assert.Equal(t, "2026-12-03", r.Body["date"])
	assert.Equal(t, "4:35", r.Body["total"])
	assert.Equal(t, "Checkout: profile slow queries", r.Body["running"].(map[string]any)["note"])
	assert.Len(t, r.Body["entries"], 6)
	assert.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))

	// Another workspace, by header.
	r = h.do("GET", "/v1/today", tmetrictest.SandboxToken, "", relay.WorkspaceHeader, "41002")
	require.Equal(t, 200, r.Status, r.Raw)
	assert.Empty(t, r.Body["entries"])
	r = h.do("GET", "/v1/today", tmetrictest.SandboxToken, "", relay.WorkspaceHeader, "abc")
	assert.Equal(t, 400, r.Status)
}

func TestTimerStartAndStop(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/v1/timer", tmetrictest.SandboxToken, `{"note": "Deploy from CI", "projectId": 410010005, "tags": [4100101]}`)
	require.Equal(t, 200, r.Status, r.Raw)
	day := r.Body["day"].(map[string]any)
	running := day["running"].(map[string]any)
	assert.Equal(t, "Deploy from CI", running["note"])
	assert.Equal(t, []any{"Development"}, running["tags"])

	r = h.do("DELETE", "/v1/timer", tmetrictest.SandboxToken, "")
	require.Equal(t, 200, r.Status, r.Raw)
	assert.Nil(t, r.Body["day"].(map[string]any)["running"])
}

func TestLogEntries(t *testing.T) {
	h := newHarness(t)
	r := h.do("POST", "/v1/entries", tmetrictest.SandboxToken, `{"minutes": 30, "note": "Standup notes"}`)
	require.Equal(t, 200, r.Status, r.Raw)
	la, _ := time.LoadLocation("America/Los_Angeles")
	assert.Equal(t, "12:23", time.UnixMilli(int64(r.Body["startMs"].(float64))).In(la).Format("15:04"), "where it overwrites nothing")

	r = h.do("POST", "/v1/entries", tmetrictest.SandboxToken, `{"start": "2026-12-03T07:00:00", "end": "2026-12-03T07:45:00", "note": "Early"}`)
	require.Equal(t, 200, r.Status, r.Raw)
	r = h.do("POST", "/v1/entries", tmetrictest.SandboxToken, `{"start": "2026-12-03T06:00:00-08:00", "end": "2026-12-03T14:30:00Z", "note": "Offsets"}`)
	require.Equal(t, 200, r.Status, r.Raw)
	var found int
	for _, e := range h.fake.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		if e.Note == "Early" {
			assert.Equal(t, "07:00", e.Start.In(la).Format("15:04"), "naive times are the user's zone")
			found++
		}
		if e.Note == "Offsets" {
			assert.Equal(t, "06:00-06:30", e.Start.In(la).Format("15:04")+"-"+e.End.In(la).Format("15:04"))
			found++
		}
	}
	assert.Equal(t, 2, found)
}

func TestBadRequestsSayWhatToFix(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		method, path, body, want string
	}{
		{"POST", "/v1/timer", `{"note": `, "must be a JSON object"},
		{"POST", "/v1/timer", `{"notes": "typo"}`, "unknown field"},
		{"POST", "/v1/timer", `{"note": "x", "minutes": 5}`, "POST /v1/entries"},
		{"POST", "/v1/entries", `{"note": "x"}`, "send minutes"},
		{"POST", "/v1/entries", `{"minutes": 5, "start": "2026-12-03T07:00:00"}`, "not both"},
		{"POST", "/v1/entries", `{"start": "yesterday", "end": "today"}`, "date-times"},
		{"POST", "/v1/timer", `{"note": "` + strings.Repeat("x", 401) + `"}`, "TMetric allows 400"},
		{"GET", "/v1/nothing", ``, "no such endpoint"},
	}
	for _, c := range cases {
		r := h.do(c.method, c.path, tmetrictest.SandboxToken, c.body)
		assert.Contains(t, []int{400, 404}, r.Status, c.body)
		assert.Contains(t, errorOf(r)["message"], c.want, c.body)
	}
}

func TestTokenHandling(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/v1/today", "", "")
	assert.Equal(t, 401, r.Status)
	assert.Contains(t, errorOf(r)["message"], "Authorization: Bearer")

	r = h.do("GET", "/v1/today", "revoked-token", "")
	assert.Equal(t, 401, r.Status, "401 stays 401")
	assert.Equal(t, "unauthorized", errorOf(r)["kind"])
	assert.Contains(t, errorOf(r)["message"], "valid for one year")
	assert.NotContains(t, r.Raw, "revoked-token", "the token is never echoed")
}

func TestTMetricTroublePassesThrough(t *testing.T) {
	h := newHarness(t)
	h.fake.Inject(tmetrictest.Fault{Status: 429, Header: map[string]string{"Retry-After": "30"}})
	r := h.do("GET", "/v1/projects", tmetrictest.SandboxToken, "")
	assert.Equal(t, 429, r.Status)
	assert.Equal(t, "30", r.Header.Get("Retry-After"))
	assert.Equal(t, "rateLimited", errorOf(r)["kind"])
	h.fake.ClearFaults()

	h.fake.Inject(tmetrictest.Fault{Status: 503, Body: "<html>maintenance</html>"})
	r = h.do("GET", "/v1/today", tmetrictest.SandboxToken, "")
	assert.Equal(t, 503, r.Status)
	assert.Equal(t, true, errorOf(r)["retriable"])
	h.fake.ClearFaults()

	h.fake.Inject(tmetrictest.Fault{Drop: true})
	r = h.do("GET", "/v1/today", tmetrictest.SandboxToken, "")
	assert.Equal(t, 502, r.Status)
	assert.Equal(t, "network", errorOf(r)["kind"])
}

func TestProjectsAndHealth(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/healthz", "", "")
	assert.Equal(t, 200, r.Status)
	assert.Equal(t, true, r.Body["ok"])
	req, _ := http.NewRequest("GET", h.relay.URL+"/v1/projects", nil)
	req.Header.Set("Authorization", "Bearer "+tmetrictest.SandboxToken)
	resp, err := h.relay.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var ps []map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&ps))
	assert.Greater(t, len(ps), 280)
	assert.Equal(t, "Acme Corp", ps[2]["client"])
}
