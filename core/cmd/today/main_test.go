package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timebar/timebar/core"
)

func TestSandboxDay(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", "", 0, false))
	s := out.String()
	assert.Contains(t, s, "showing the built-in sandbox")
	assert.Contains(t, s, "Alex Rivera · Northwind Studio")
	assert.Contains(t, s, "–running")
	assert.Contains(t, s, "Checkout: profile slow queries")
	assert.Regexp(t, `Total today: \d+:\d\d`, s)
}

func TestHTTPSnippet(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", "", 0, true))
	assert.Contains(t, out.String(), "Authorization: Bearer {{token}}")
}

func TestRefusesPlainHTTPElsewhere(t *testing.T) {
	err := run(&bytes.Buffer{}, "tok", "http://tmetric.example.com/api/v3", 0, false)
	assert.True(t, errors.Is(err, core.ErrConfig), "%v", err)
}
