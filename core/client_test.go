package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/tmetrictest"
)

func TestBaseURLPolicy(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
		why string
	}{
		{"https://app.tmetric.com/api/v3", true, ""},
		{"https://tmetric.example.org:8443/api/v3/", true, ""},
		{"http://127.0.0.1:8080/api/v3", true, ""},
		{"http://127.9.9.9/api/v3", true, ""},
		{"http://localhost:3000/api/v3", true, ""},
		{"http://[::1]:3000/api/v3", true, ""},
		{"http://app.tmetric.com/api/v3", false, "plain HTTP"},
		{"http://192.168.1.10/api/v3", false, "plain HTTP"},
		{"http://localhost.evil.example/api/v3", false, "plain HTTP"},
		{"ftp://app.tmetric.com/api/v3", false, "only https"},
		{"https://user:pw@app.tmetric.com/api/v3", false, "password"},
		{"https://app.tmetric.com/api/v3?x=1", false, "query"},
		{"app.tmetric.com/api/v3", false, "absolute"},
		{"HTTPS://App.TMetric.com/api/v3", true, ""},
		{"https://[::1]:8443/api/v3", true, ""},
		{"http://127.0.0.1.evil.example/api/v3", false, "plain HTTP"},
		{"http://0x7f.0.0.1/api/v3", false, "plain HTTP"},
		{"http://127.000.0.1/api/v3", false, "plain HTTP"},
		{"http://[::ffff:127.0.0.1]/api/v3", false, "plain HTTP"},
		{"https://app.tmetric.com:99999/api/v3", false, "port"},
		{"https://app.tmetric.com:/api/v3", false, "port"},
		{"https://app tmetric.com/api/v3", false, "host"},
		{"https://app.tmetric.com/api/../v3", false, "path"},
		{"https:///api/v3", false, "host"},
		{"https://app.tmetric.com/api/v3#x", false, "fragment"},
		{"", false, "absolute"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			_, err := core.NewClient("tok", core.WithBaseURL(c.url), core.WithTransport(core.DoerFunc(nil)))
			if c.ok {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, core.ErrConfig)
			assert.Contains(t, err.Error(), c.why)
		})
	}
}

func TestParseBaseURLNormalises(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.tmetric.com/api/v3/":  "https://app.tmetric.com/api/v3",
		" HTTPS://APP.tmetric.com/api/v3 ": "https://app.tmetric.com/api/v3",
		"http://localhost:8080":            "http://localhost:8080",
		"http://[::1]:9/x":                 "http://[::1]:9/x",
	} {
		got, err := core.ParseBaseURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestQueryEncoding(t *testing.T) {
	assert.Equal(t, "a=1&b=x%20y%26z%3D%C3%A9&c=", core.Query{"c": "", "b": "x y&z=é", "a": "1"}.Encode())
}

func TestNewClientRefusesBadTokens(t *testing.T) {
	for _, tok := range []string{"", "   ", "two words", "line\nbreak"} {
		_, err := core.NewClient(tok, core.WithTransport(core.DoerFunc(nil)))
		require.ErrorIs(t, err, core.ErrConfig, "%q", tok)
		assert.Contains(t, err.Error(), "My Profile")
	}
	_, err := core.NewClient("tok")
	assert.ErrorIs(t, err, core.ErrConfig, "a client without a transport")
}

// The token never shows in fmt output of any core type, in JSON, or in errors.
func TestTokenIsNeverPrinted(t *testing.T) {
	const secret = "s3cr3t-token-value"
	tok := core.Token(secret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s"} {
		assert.NotContains(t, fmt.Sprintf(verb, tok), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, struct{ T core.Token }{tok}), secret, verb)
	}
	b, err := json.Marshal(struct{ T core.Token }{tok})
	require.NoError(t, err)
	assert.NotContains(t, string(b), secret)

	c, err := core.NewClient(secret, core.WithTransport(core.DoerFunc(func(context.Context, *core.Request) (*core.Response, error) {
		return nil, errors.New("dial failed for Bearer " + secret)
	})), core.WithRetry(core.RetryPolicy{Attempts: 1}))
	require.NoError(t, err)
	req, err := c.MeRequest()
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+secret, req.Header.Get("Authorization"), "the transport still gets the real header")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(verb, req), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, *req), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, req.Header), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, c), secret, verb)
	}
	_, err = c.Me(context.Background())
	require.ErrorIs(t, err, core.ErrNetwork)
	assert.NotContains(t, err.Error(), secret, "a transport error echoing the header is redacted")
	assert.NotContains(t, req.HTTPFile("me"), secret)
}

func TestMe(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	u, err := e.client.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(tmetrictest.SandboxUserID), u.ID)
	assert.Equal(t, "Alex Rivera", u.Name)
	assert.Equal(t, "alex@northwind.example", u.Email)
	assert.Equal(t, "America/Los_Angeles", u.TimeZone.ID)
	assert.Equal(t, -8.0, u.TimeZone.CurrentOffset)
	assert.Equal(t, core.TimeFormat12h, u.TimeFormat)
	require.Len(t, u.Accounts, 2)
	assert.Equal(t, "Northwind Studio", u.Accounts[0].Name)
	assert.True(t, u.Accounts[1].Rules.RequireProject, "Harbour Agency requires a project")
	s, err := u.Scope(0)
	require.NoError(t, err)
	assert.Equal(t, int64(tmetrictest.SandboxAccountID), s.AccountID, "0 picks the active workspace")
	_, err = u.Scope(999)
	assert.ErrorIs(t, err, core.ErrInvalid)
}

func TestTodayAgainstTheFake(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	s := e.scope(t, 0)
	day, err := e.client.Today(context.Background(), s)
	require.NoError(t, err)
	// 22:30 UTC is 14:30 on Thursday in Los Angeles.
	assert.Equal(t, "2026-12-03", day.Date.String())
	require.Len(t, day.Entries, 6)
	require.NotNil(t, day.Running)
	assert.Equal(t, "Checkout: profile slow queries", day.Running.Note)
	assert.Equal(t, 37*time.Minute, day.Running.Duration)
	// 25+15+95+55+48 finished minutes and 37 running.
	assert.Equal(t, 275*time.Minute, day.Total)
	assert.Equal(t, "4:35", core.FormatDuration(day.Total))
	assert.Equal(t, "Email & planning", day.Entries[0].Note, "oldest first")
	assert.Equal(t, "Internal", day.Entries[0].Project.Name)
	assert.Equal(t, "1:53 pm", core.FormatClock(day.Running.Start, s.TimeFormat))
	reqs := e.fake.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "/accounts/41001/timeentries", last.Path)
	assert.Equal(t, "endDate=2026-12-03&startDate=2026-12-02&userId=7101", last.Query)
}

// A user in Auckland sees Friday while the machine (UTC) and Los Angeles are on Thursday.
func TestTodayIsTheUsersDate(t *testing.T) {
	e := setup(t, tmetrictest.KiwiToken)
	s := e.scope(t, 0)
	assert.Equal(t, "Pacific/Auckland", s.Location.String())
	day, err := e.client.Today(context.Background(), s)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-04", day.Date.String())
	assert.Empty(t, day.Entries)
	assert.Zero(t, day.Total)
}

func TestTimerLifecycle(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	ctx := context.Background()
	s := e.scope(t, 0)
	proj := int64(tmetrictest.SandboxAccountID*10000 + 5)
	tag := int64(tmetrictest.SandboxAccountID*100 + 1)

	w, err := e.client.StartTimer(ctx, s, core.EntryInput{Note: "  Write release notes ", ProjectID: proj, TagIDs: []int64{tag}})
	require.NoError(t, err)
	require.NotNil(t, w.Entry)
	assert.True(t, w.Entry.Running())
	assert.Equal(t, "Write release notes", w.Entry.Note)
	assert.Equal(t, proj, w.Entry.Project.ID)
	assert.True(t, w.Entry.Start.Equal(thursday), "null start means the server's now")
	body := string(e.fake.Requests()[len(e.fake.Requests())-1].Body)
	assert.JSONEq(t, `{"startTime":null,"endTime":null,"note":"Write release notes","project":{"id":410010005},"tags":[{"id":4100101}]}`, body)

	// The sandbox timer was ended at the new start.
	ended := w.Entries[len(w.Entries)-2]
	assert.Equal(t, "Checkout: profile slow queries", ended.Note)
	assert.True(t, ended.End.Equal(thursday))

	running, err := e.client.Running(ctx, s)
	require.NoError(t, err)
	require.NotNil(t, running)
	assert.Equal(t, w.Entry.ID, running.ID)

	e.clock.Add(25 * time.Minute)
	stopped, err := e.client.StopTimer(ctx, s, core.StopOptions{})
	require.NoError(t, err)
	require.NotNil(t, stopped.Entry)
	assert.Equal(t, 25*time.Minute, stopped.Entry.End.Sub(stopped.Entry.Start))
	assert.Nil(t, core.RunningEntry(stopped.Entries))
	last := e.fake.Requests()[len(e.fake.Requests())-1]
	assert.Equal(t, "/accounts/41001/timeentries/break", last.Path)
	assert.JSONEq(t, `{"startTime":null,"endTime":null}`, string(last.Body))

	running, err = e.client.Running(ctx, s)
	require.NoError(t, err)
	assert.Nil(t, running)
}

func TestStartInThePastAndStopAtAMoment(t *testing.T) {
	e := setup(t, tmetrictest.KiwiToken)
	ctx := context.Background()
	s := e.scope(t, 0)
	at := time.Date(2026, 12, 4, 9, 15, 0, 0, auckland) // 20:15 UTC, before the clock's 22:30
	w, err := e.client.StartTimer(ctx, s, core.EntryInput{Note: "Kōrero with the team 🌿", Start: at})
	require.NoError(t, err)
	body := string(e.fake.Requests()[len(e.fake.Requests())-1].Body)
	assert.Contains(t, body, `"startTime":"2026-12-04T09:15:00"`, "naive local time in the user's zone")
	assert.Contains(t, body, `"endTime":null`)

	stopAt := time.Date(2026, 12, 4, 10, 40, 0, 0, auckland)
	got, err := e.client.StopTimer(ctx, s, core.StopOptions{At: stopAt, Entry: w.Entry})
	require.NoError(t, err)
	assert.True(t, got.Entry.End.Equal(stopAt))
	last := e.fake.Requests()[len(e.fake.Requests())-1]
	assert.Equal(t, "PUT", last.Method)
	assert.JSONEq(t, `{"startTime":"2026-12-04T09:15:00","endTime":"2026-12-04T10:40:00","note":"Kōrero with the team 🌿","tags":[]}`, string(last.Body))

	_, err = e.client.StopTimer(ctx, s, core.StopOptions{At: at.Add(-time.Hour), Entry: w.Entry})
	assert.ErrorIs(t, err, core.ErrInvalid, "a stop before the start")
	_, err = e.client.StopTimer(ctx, s, core.StopOptions{At: thursday.Add(time.Hour), Entry: w.Entry})
	assert.ErrorIs(t, err, core.ErrInvalid, "a stop in the future")
	_, err = e.client.StopTimer(ctx, s, core.StopOptions{At: stopAt})
	assert.ErrorIs(t, err, core.ErrInvalid, "a stop at a moment needs the entry")
}

func TestLogUpdateDelete(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	ctx := context.Background()
	s := e.scope(t, 0)
	start := time.Date(2026, 12, 3, 7, 0, 0, 0, la)
	w, err := e.client.LogTime(ctx, s, core.EntryInput{Note: "Early invoices", Start: start, End: start.Add(30 * time.Minute)})
	require.NoError(t, err)
	require.NotNil(t, w.Entry)
	assert.Equal(t, "Early invoices", w.Entry.Note)

	upd := *w.Entry
	upd.Note = "Early invoices (Acme)"
	upd.End = start.Add(45 * time.Minute)
	got, err := e.client.UpdateEntry(ctx, s, upd)
	require.NoError(t, err)
	assert.Equal(t, "Early invoices (Acme)", got.Note)
	assert.Equal(t, 45*time.Minute, got.End.Sub(got.Start))

	require.NoError(t, e.client.DeleteEntry(ctx, s, got.ID))
	for _, x := range e.fake.Entries(tmetrictest.SandboxToken, tmetrictest.SandboxAccountID) {
		assert.NotEqual(t, got.ID, x.ID)
	}
	err = e.client.DeleteEntry(ctx, s, got.ID)
	assert.ErrorIs(t, err, core.ErrNotFound)
}

func TestListings(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	ctx := context.Background()
	s := e.scope(t, 0)
	ps, err := e.client.Projects(ctx, s)
	require.NoError(t, err)
	assert.Greater(t, len(ps), 250)
	assert.Equal(t, "Acme Corp", ps[2].Client.Name)
	assert.False(t, ps[2].RecentUsageTime.IsZero(), "used today")
	tags, err := e.client.Tags(ctx, s, ps[2].ID)
	require.NoError(t, err)
	assert.Equal(t, "Development", tags[0].Name)
	assert.True(t, tags[0].IsWorkType)
	cs, err := e.client.Clients(ctx, s)
	require.NoError(t, err)
	assert.Len(t, cs, 40)
	rs, err := e.client.Recent(ctx, s)
	require.NoError(t, err)
	require.NotEmpty(t, rs)
	assert.Equal(t, "Checkout: profile slow queries", rs[0].Note)
	assert.Equal(t, "#482", rs[0].Task.ExternalLink.IssueID)
}

func TestValidationStopsBadRequestsBeforeSending(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	ctx := context.Background()
	open := e.scope(t, 0)
	strict := e.scope(t, tmetrictest.StrictAccountID)
	e.fake.ResetRequests()
	cases := []struct {
		name  string
		s     core.Scope
		in    core.EntryInput
		field string
		log   bool
	}{
		{"note too long", open, core.EntryInput{Note: strings.Repeat("é", 401)}, "note", false},
		{"end before start", open, core.EntryInput{Start: thursday.Add(-time.Hour), End: thursday.Add(-2 * time.Hour)}, "endTime", true},
		{"end equals start", open, core.EntryInput{Start: thursday.Add(-time.Hour), End: thursday.Add(-time.Hour)}, "endTime", true},
		{"start in the future", open, core.EntryInput{Start: thursday.Add(time.Hour)}, "startTime", false},
		{"project required", strict, core.EntryInput{Note: "x"}, "project", false},
		{"log needs an end", open, core.EntryInput{Start: thursday.Add(-time.Hour)}, "startTime", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.log {
				_, err = e.client.LogTime(ctx, c.s, c.in)
			} else {
				_, err = e.client.StartTimer(ctx, c.s, c.in)
			}
			require.ErrorIs(t, err, core.ErrInvalid)
			var ve *core.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.field, ve.Field)
		})
	}
	assert.Empty(t, e.fake.Requests(), "nothing reached the server")
	for _, rule := range []struct {
		rules core.TimeTracking
		want  string
	}{
		{core.TimeTracking{RequireTask: true}, "task"},
		{core.TimeTracking{RequireTags: true}, "tag"},
		{core.TimeTracking{RequireDescription: true}, "note"},
	} {
		err := core.Validate(rule.rules, core.EntryInput{Note: "  "}, thursday)
		require.ErrorIs(t, err, core.ErrInvalid)
		assert.Contains(t, err.Error(), rule.want)
	}
	assert.NoError(t, core.Validate(core.TimeTracking{}, core.EntryInput{Note: strings.Repeat("é", 400)}, thursday))
}

// The server also refuses what the workspace rules forbid; the message reaches the user.
func TestServerRefusalCarriesItsMessage(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	s := e.scope(t, tmetrictest.StrictAccountID)
	s.Rules = core.TimeTracking{} // pretend core did not know the rule
	_, err := e.client.StartTimer(context.Background(), s, core.EntryInput{Note: "x"})
	require.ErrorIs(t, err, core.ErrBadRequest)
	var ae *core.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, "start timer", ae.Op)
	assert.Contains(t, ae.Message, "requires a project")
}

func TestHTTPErrors(t *testing.T) {
	cases := []struct {
		name    string
		fault   tmetrictest.Fault
		kind    error
		status  int
		message string
		tries   int
	}{
		{"401 empty body", tmetrictest.Fault{Status: 401, Header: map[string]string{"WWW-Authenticate": "Bearer"}}, core.ErrUnauthorized, 401, "valid for one year", 1},
		{"403", tmetrictest.Fault{Status: 403, Body: `{"statusCode":403,"message":"Manual editing is disabled."}`}, core.ErrForbidden, 403, "Manual editing is disabled.", 1},
		{"404 capitalised Message", tmetrictest.Fault{Status: 404, Body: `{"Message":"Account not found"}`}, core.ErrNotFound, 404, "Account not found", 1},
		{"429 retried then given up", tmetrictest.Fault{Status: 429, Header: map[string]string{"Retry-After": "2"}}, core.ErrRateLimited, 429, "throttling", 3},
		{"502 HTML page", tmetrictest.Fault{Status: 502, Body: tmetrictest.HTMLBadGateway}, core.ErrServer, 502, "Bad Gateway", 3},
		{"500 plain text", tmetrictest.Fault{Status: 500, Body: "oops", Header: map[string]string{"Content-Type": "text/plain"}}, core.ErrServer, 500, "Internal Server Error", 3},
		{"dropped connection", tmetrictest.Fault{Drop: true}, core.ErrNetwork, 0, "could not reach TMetric", 3},
		{"malformed JSON", tmetrictest.Fault{Status: 200, Body: tmetrictest.Malformed}, core.ErrBadResponse, 0, "not valid JSON", 1},
		{"redirect elsewhere", tmetrictest.Fault{Status: 302, Header: map[string]string{"Location": "https://evil.example/steal"}}, core.ErrBadResponse, 302, "check the API base URL", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, tmetrictest.SandboxToken)
			s := e.scope(t, 0)
			e.sent.Store(0)
			e.fake.Inject(c.fault)
			_, err := e.client.Projects(context.Background(), s)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.kind)
			var ae *core.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, c.status, ae.StatusCode)
			assert.Equal(t, "list projects", ae.Op)
			assert.Contains(t, ae.Error(), c.message)
			assert.NotContains(t, ae.Error(), tmetrictest.SandboxToken)
			assert.Equal(t, int32(c.tries), e.sent.Load(), "attempts")
			assert.Equal(t, core.Retriable(err), c.tries > 1)
		})
	}
}

func TestUnauthorizedTellsHowToGetANewToken(t *testing.T) {
	e := setup(t, "revoked-token")
	_, err := e.client.Me(context.Background())
	require.ErrorIs(t, err, core.ErrUnauthorized)
	for _, want := range []string{"rejected", "one year", "revokes the old", "My Profile", "https://app.tmetric.com/#/profile"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "revoked-token")
}

func TestRetryRecoversAndHonoursRetryAfter(t *testing.T) {
	var waits []time.Duration
	e := setup(t, tmetrictest.SandboxToken, core.WithSleep(func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}))
	s := e.scope(t, 0)
	e.fake.Inject(tmetrictest.Fault{Status: 429, Header: map[string]string{"Retry-After": "3"}, Times: 1})
	e.fake.Inject(tmetrictest.Fault{Status: 503, Body: "<html>down</html>", Times: 1})
	_, err := e.client.Projects(context.Background(), s)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{3 * time.Second, 500 * time.Millisecond}, waits, "Retry-After, then doubled backoff")

	// A pause longer than a user would wait is not waited for.
	waits = nil
	e.fake.Inject(tmetrictest.Fault{Status: 429, Header: map[string]string{"Retry-After": "120"}, Times: 1})
	_, err = e.client.Projects(context.Background(), s)
	var ae *core.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 120*time.Second, ae.RetryAfter)
	assert.Empty(t, waits)
}

func TestWritesAreNeverRetried(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	s := e.scope(t, 0)
	e.fake.ResetRequests()
	e.fake.Inject(tmetrictest.Fault{Status: 503, Body: "busy"})
	_, err := e.client.StartTimer(context.Background(), s, core.EntryInput{Note: "x"})
	require.ErrorIs(t, err, core.ErrServer)
	assert.True(t, core.Retriable(err), "the caller may queue it")
	assert.Len(t, e.fake.Requests(), 1)
}

func TestContextCancellationIsANetworkError(t *testing.T) {
	e := setup(t, tmetrictest.SandboxToken)
	s := e.scope(t, 0)
	e.fake.SetLatency(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.client.Projects(ctx, s)
	require.ErrorIs(t, err, core.ErrNetwork)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// A redirect to another origin never carries the token there.
func TestRedirectsDoNotLeakTheToken(t *testing.T) {
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked = append(leaked, r.Header.Get("Authorization"))
	}))
	defer other.Close()
	c := rawServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/v3/user", http.StatusFound)
	})
	_, err := c.Me(context.Background())
	require.ErrorIs(t, err, core.ErrBadResponse)
	assert.Empty(t, leaked)
}

func TestRequestsOnlyGoToTheBaseOrigin(t *testing.T) {
	c, err := core.NewClient("tok", core.WithBaseURL("https://app.tmetric.com/api/v3"), core.WithTransport(core.DoerFunc(
		func(context.Context, *core.Request) (*core.Response, error) { t.Fatal("sent"); return nil, nil })))
	require.NoError(t, err)
	req := &core.Request{Method: "GET", URL: "https://evil.example/api/v3/user", Header: core.Header{}}
	_, err = c.Do(context.Background(), "probe", req)
	assert.ErrorIs(t, err, core.ErrConfig)
	assert.True(t, c.SameOrigin("https://APP.tmetric.com/api/v3/x"))
	assert.True(t, c.SameOrigin("https://app.tmetric.com?x=1"))
	assert.False(t, c.SameOrigin("http://app.tmetric.com/api/v3/x"))
	assert.False(t, c.SameOrigin("https://app.tmetric.com:444/api/v3/x"))
	assert.False(t, c.SameOrigin("https://app.tmetric.com@evil.example/api/v3/x"))
	assert.False(t, c.SameOrigin("https://app.tmetric.com.evil.example/"))
	assert.False(t, c.SameOrigin("/api/v3/user"))
	_, err = c.NewRequest("GET", "/user", nil, nil)
	assert.ErrorIs(t, err, core.ErrConfig, "an absolute path would escape the base")
	_, err = c.NewRequest("GET", "accounts/../../user", nil, nil)
	assert.ErrorIs(t, err, core.ErrConfig)
}

func TestHTTPFile(t *testing.T) {
	c, err := core.NewClient("real-secret", core.WithTransport(core.DoerFunc(nil)),
		core.WithClock(core.ClockFunc(func() time.Time { return thursday })))
	require.NoError(t, err)
	req, err := c.TodayRequest(core.Scope{AccountID: 41001, UserID: 7101, Location: auckland})
	require.NoError(t, err)
	got := req.HTTPFile("Today's entries")
	assert.Equal(t, `# Paste your API token from TMetric → My Profile → "Get new API token".
@token = YOUR_TMETRIC_API_TOKEN

### Today's entries
GET https://app.tmetric.com/api/v3/accounts/41001/timeentries?endDate=2026-12-04&startDate=2026-12-03&userId=7101
Accept: application/json
Authorization: Bearer {{token}}
`, got)
	start, err := c.StartTimerRequest(core.Scope{AccountID: 1, UserID: 2, Location: la}, core.EntryInput{Note: "Hi", ProjectID: 9})
	require.NoError(t, err)
	assert.Contains(t, start.HTTPFile("Start"), "POST https://app.tmetric.com/api/v3/accounts/1/timeentries?userId=2\n")
	assert.Contains(t, start.HTTPFile("Start"), "Content-Type: application/json\n\n{\n  \"startTime\": null,")
	assert.NotContains(t, start.HTTPFile("Start"), "real-secret")
}
