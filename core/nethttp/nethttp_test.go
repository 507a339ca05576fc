package nethttp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
)

func TestSendsMethodHeadersAndBody(t *testing.T) {
	var got *http.Request
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(201)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	resp, err := nethttp.New(nil).Do(context.Background(), &core.Request{Method: "PUT", URL: srv.URL + "/x",
		Header: core.Header{"authorization": "Bearer t", "content-type": "application/json"}, Body: []byte(`{"a":1}`)})
	require.NoError(t, err)
	assert.Equal(t, "PUT", got.Method)
	assert.Equal(t, "Bearer t", got.Header.Get("Authorization"))
	assert.Equal(t, `{"a":1}`, body)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "a, b", resp.Header.Get("x-multi"))
	assert.Equal(t, `{"ok":true}`, string(resp.Body))
}

func TestRedirectsStayInTheOrigin(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			_, _ = io.WriteString(w, r.Header.Get("Authorization"))
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		}
	}))
	defer srv.Close()
	tr := nethttp.New(srv.Client())
	resp, err := tr.Do(context.Background(), &core.Request{Method: "GET", URL: srv.URL + "/old", Header: core.Header{"authorization": "Bearer t"}})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Bearer t", string(resp.Body), "same-origin redirect followed with the token")
	resp, err = tr.Do(context.Background(), &core.Request{Method: "GET", URL: srv.URL + "/away", Header: core.Header{"authorization": "Bearer t"}})
	require.NoError(t, err)
	assert.Equal(t, 302, resp.StatusCode, "the cross-origin redirect is handed back, not followed")
	assert.Zero(t, elsewhere)
}

func TestBodyIsCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(w, io.LimitReader(strings.NewReader(strings.Repeat("x", 40<<20)), 40<<20))
	}))
	defer srv.Close()
	resp, err := nethttp.New(nil).Do(context.Background(), &core.Request{Method: "GET", URL: srv.URL, Header: core.Header{}})
	require.NoError(t, err)
	assert.Equal(t, 32<<20+1, len(resp.Body), "one byte past the cap, so core reports it as too large")
}
