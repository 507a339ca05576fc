package contract_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/tests/contract"
)

var (
	la, _ = time.LoadLocation("America/Los_Angeles")
	now   = time.Date(2026, 12, 3, 22, 30, 0, 0, time.UTC)
	scope = core.Scope{AccountID: 41001, UserID: 7101, Location: la}
)

func toHTTP(t *testing.T, r *core.Request) *http.Request {
	t.Helper()
	req, err := http.NewRequest(r.Method, r.URL, bytes.NewReader(r.Body))
	require.NoError(t, err)
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	return req
}

// builtRequests is one request of every kind core sends.
func builtRequests(t *testing.T) map[string]*core.Request {
	c, err := core.NewClient("tok", core.WithBaseURL("http://127.0.0.1:9/api/v3"), core.WithTransport(core.DoerFunc(nil)),
		core.WithClock(core.ClockFunc(func() time.Time { return now })))
	require.NoError(t, err)
	start := time.Date(2026, 12, 3, 9, 15, 0, 0, la)
	running := core.TimeEntry{ID: 5, Start: start, Note: "n", Project: &core.Project{ID: 3}, Task: &core.Task{ID: 4}, Tags: []core.Tag{{ID: 6}}}
	out := map[string]*core.Request{}
	add := func(name string, r *core.Request, err error) {
		require.NoError(t, err, name)
		out[name] = r
	}
	r, err := c.MeRequest()
	add("me", r, err)
	r, err = c.TodayRequest(scope)
	add("today", r, err)
	r, err = c.StartTimerRequest(scope, core.EntryInput{Note: "n", ProjectID: 3, TaskID: 4, TagIDs: []int64{6}})
	add("start now", r, err)
	r, err = c.StartTimerRequest(scope, core.EntryInput{Note: "n", Start: start})
	add("start at", r, err)
	r, err = c.LogTimeRequest(scope, core.EntryInput{Note: "n", Start: start, End: start.Add(time.Hour)})
	add("log", r, err)
	r, err = c.StopTimerRequest(scope, core.StopOptions{})
	add("stop now", r, err)
	r, err = c.StopTimerRequest(scope, core.StopOptions{At: start.Add(time.Hour), Entry: &running})
	add("stop at", r, err)
	r, err = c.UpdateEntryRequest(scope, running)
	add("update", r, err)
	for name, path := range map[string]string{
		"delete":   "DELETE accounts/41001/timeentries/5",
		"latest":   "GET accounts/41001/timeentries/latest?userId=7101",
		"recent":   "GET accounts/41001/timeentries/recent?userId=7101",
		"projects": "GET accounts/41001/timeentries/projects?userId=7101",
		"tags":     "GET accounts/41001/timeentries/tags?projectId=3",
		"clients":  "GET accounts/41001/clients",
	} {
		method, rest, _ := strings.Cut(path, " ")
		p, q, _ := strings.Cut(rest, "?")
		r, err := c.NewRequest(method, p, parseQuery(q), nil)
		add(name, r, err)
	}
	return out
}

func parseQuery(q string) core.Query {
	if q == "" {
		return nil
	}
	k, v, _ := strings.Cut(q, "=")
	return core.Query{k: v}
}

func TestEveryRequestCoreBuildsMeetsTheContract(t *testing.T) {
	c, err := contract.Load()
	require.NoError(t, err)
	reqs := builtRequests(t)
	require.Len(t, reqs, 14)
	for name, r := range reqs {
		assert.NoError(t, c.ValidateRequest(toHTTP(t, r)), name)
	}
}

// Changing a request's path, a parameter or a body field breaks the
// contract: the check is not a rubber stamp.
func TestMutatedRequestsFailTheContract(t *testing.T) {
	c, err := contract.Load()
	require.NoError(t, err)
	reqs := builtRequests(t)
	mutations := []struct {
		name   string
		from   string
		mutate func(r *core.Request)
	}{
		{"path typo", "today", func(r *core.Request) { r.URL = strings.Replace(r.URL, "timeentries", "timeentry", 1) }},
		{"wrong method", "stop now", func(r *core.Request) { r.Method = "PUT" }},
		{"account id not a number", "today", func(r *core.Request) { r.URL = strings.Replace(r.URL, "41001", "north", 1) }},
		{"date in US format", "today", func(r *core.Request) {
			r.URL = strings.Replace(r.URL, "startDate=2026-12-02", "startDate=12/02/2026", 1)
		}},
		{"userId not a number", "projects", func(r *core.Request) { r.URL = strings.Replace(r.URL, "userId=7101", "userId=me", 1) }},
		{"start time with Z", "start at", func(r *core.Request) { r.Body = bytes.Replace(r.Body, []byte(`:00"`), []byte(`:00Z"`), 1) }},
		{"start time with offset", "log", func(r *core.Request) { r.Body = bytes.Replace(r.Body, []byte(`:00"`), []byte(`:00-08:00"`), 1) }},
		{"end time as words", "log", func(r *core.Request) {
			r.Body = bytes.Replace(r.Body, []byte(`"endTime":"2026-12-03T10:15:00"`), []byte(`"endTime":"later"`), 1)
		}},
		{"note over 400", "start now", func(r *core.Request) {
			r.Body = bytes.Replace(r.Body, []byte(`"note":"n"`), []byte(`"note":"`+strings.Repeat("n", 401)+`"`), 1)
		}},
		{"project id as string", "start now", func(r *core.Request) {
			r.Body = bytes.Replace(r.Body, []byte(`"project":{"id":3}`), []byte(`"project":{"id":"3"}`), 1)
		}},
		{"tags as object", "update", func(r *core.Request) {
			r.Body = bytes.Replace(r.Body, []byte(`"tags":[{"id":6}]`), []byte(`"tags":{"id":6}`), 1)
		}},
		{"body not JSON", "stop now", func(r *core.Request) { r.Body = []byte(`{startTime: null`) }},
		{"no token", "me", func(r *core.Request) { delete(r.Header, "authorization") }},
		{"undocumented endpoint", "me", func(r *core.Request) { r.URL = strings.Replace(r.URL, "/user", "/users/me", 1) }},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			orig := reqs[m.from]
			require.NotNil(t, orig)
			cp := *orig
			cp.Header = orig.Header.Clone()
			cp.Body = append([]byte(nil), orig.Body...)
			m.mutate(&cp)
			require.NotEqual(t, orig.URL+orig.Method+string(orig.Body)+orig.Header.Get("authorization"),
				cp.URL+cp.Method+string(cp.Body)+cp.Header.Get("authorization"), "the mutation changed something")
			err := c.ValidateRequest(toHTTP(t, &cp))
			assert.Error(t, err)
			t.Log(err)
		})
	}
}

func TestResponsesAreValidated(t *testing.T) {
	c, err := contract.Load()
	require.NoError(t, err)
	req, _ := http.NewRequest("GET", "http://127.0.0.1/api/v3/accounts/1/timeentries?userId=2&startDate=2026-12-03&endDate=2026-12-03", nil)
	req.Header.Set("Authorization", "Bearer x")
	h := http.Header{"Content-Type": {"application/json"}}
	ok := `[{"id":1,"startTime":"2026-12-03T09:00:00","endTime":null,"note":"running","tags":[]}]`
	assert.NoError(t, c.ValidateResponse(req, 200, h, []byte(ok)), "a running timer's null endTime (nullable added in memory)")
	for name, body := range map[string]string{
		"zoned time":       `[{"id":1,"startTime":"2026-12-03T09:00:00Z"}]`,
		"unknown status":   `[{"id":1,"startTime":"2026-12-03T09:00:00","project":{"id":1,"status":"deleted"}}]`,
		"id as string":     `[{"id":"1","startTime":"2026-12-03T09:00:00"}]`,
		"link without url": `[{"id":1,"startTime":"2026-12-03T09:00:00","task":{"id":1,"externalLink":{"caption":"x"}}}]`,
		"object not array": `{"id":1}`,
	} {
		assert.Error(t, c.ValidateResponse(req, 200, h, []byte(body)), name)
	}
}

// The adaptations are needed: the vendor's document does not validate
// with kin-openapi's defaults, and its schemas refuse a null startTime.
func TestTheVendorDocumentNeedsTheAdaptations(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(contract.Spec())
	require.NoError(t, err)
	assert.Error(t, doc.Validate(context.Background()), "3.1 'examples' in a 3.0 document")
	assert.False(t, doc.Components.Schemas["timeentry"].Value.Properties["startTime"].Value.Nullable, "the file is unedited")
}
