// Command today prints today's TMetric entries and total, in your TMetric
// time zone and time format. With no token it runs against the built-in
// sandbox (the fake TMetric with sample data), so it works without an account.
//
//	TMETRIC_TOKEN=... go run ./core/cmd/today
//	go run ./core/cmd/today -http        # print the request as a REST Client snippet
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // a native binary should not depend on the machine's zoneinfo

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/core/nethttp"
	"github.com/timebar/timebar/core/tmetrictest"
)

func main() {
	httpFile := flag.Bool("http", false, "print today's request as a .http snippet instead of sending it")
	workspace := flag.Int64("workspace", envInt("TMETRIC_WORKSPACE"), "workspace (account) id; default: your active one ($TMETRIC_WORKSPACE)")
	flag.Parse()
	if err := run(os.Stdout, os.Getenv("TMETRIC_TOKEN"), os.Getenv("TMETRIC_BASE_URL"), *workspace, *httpFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, core.ErrUnauthorized) || errors.Is(err, core.ErrConfig) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func envInt(name string) int64 {
	n, _ := strconv.ParseInt(os.Getenv(name), 10, 64)
	return n
}

func run(w io.Writer, token, baseURL string, workspace int64, httpFile bool) error {
	if token == "" {
		url, stop, err := tmetrictest.ServeLoopback(tmetrictest.NewSandbox(nil))
		if err != nil {
			return err
		}
		defer stop()
		token, baseURL = tmetrictest.SandboxToken, url
		fmt.Fprintln(w, "No TMETRIC_TOKEN given: showing the built-in sandbox (sample data).")
	}
	opts := []core.Option{core.WithTransport(nethttp.New(nil))}
	if baseURL != "" {
		opts = append(opts, core.WithBaseURL(baseURL))
	}
	c, err := core.NewClient(token, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	s, err := me.Scope(workspace)
	if err != nil {
		return err
	}
	if httpFile {
		req, err := c.TodayRequest(s)
		if err != nil {
			return err
		}
		fmt.Fprint(w, req.HTTPFile("Today's time entries"))
		return nil
	}
	day, err := c.Today(ctx, s)
	if err != nil {
		return err
	}
	printDay(w, me, s, day)
	return nil
}

func printDay(w io.Writer, me *core.User, s core.Scope, day *core.Day) {
	name := ""
	for _, a := range me.Accounts {
		if a.ID == s.AccountID {
			name = a.Name
		}
	}
	fmt.Fprintf(w, "%s · %s · %s (%s)\n\n", me.Name, name, day.Date, s.Location)
	if len(day.Entries) == 0 {
		fmt.Fprintln(w, "No time tracked today.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i := len(day.Entries) - 1; i >= 0; i-- { // newest first
		e := day.Entries[i]
		end := "running"
		if !e.Running() {
			end = core.FormatClock(e.End.In(s.Location), s.TimeFormat)
		}
		project := ""
		if e.Project != nil {
			project = e.Project.Name
			if e.Project.Client != nil {
				project += " (" + e.Project.Client.Name + ")"
			}
		}
		fmt.Fprintf(tw, "%s–%s\t%s\t%s\t%s\n", core.FormatClock(e.Start.In(s.Location), s.TimeFormat), end,
			core.FormatDuration(e.Duration), oneLine(e.Note), project)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nTotal today: %s\n", core.FormatDuration(day.Total))
}

// oneLine keeps a note from breaking the table (notes are the user's text).
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
