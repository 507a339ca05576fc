package core_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/timebar/timebar/core"
)

// realisticDay renders n entries the way TMetric does: projects with
// clients, a task with an external link on some, tags, naive times.
func realisticDay(n int) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		min := i * 1440 / max(n, 1)
		start := fmt.Sprintf("2026-12-03T%02d:%02d:00", min/60, min%60)
		end := fmt.Sprintf("2026-12-03T%02d:%02d:30.337", min/60, min%60)
		fmt.Fprintf(&b, `{"id":%d,"startTime":"%s","endTime":"%s","note":"Review pull request #%d for the checkout flow",`+
			`"project":{"id":%d,"name":"Website redesign %d","iconUrl":"","client":{"id":%d,"name":"Acme Corp","iconUrl":""},"status":"active","isBillable":true},`,
			90000+i, start, end, i, 410010000+i%300, i%40, 41001000+i%40)
		if i%3 == 0 {
			fmt.Fprintf(&b, `"task":{"id":%d,"name":"Checkout page loads slowly","externalLink":{"caption":"#482","iconUrl":"https://github.com/favicon.ico","link":"https://github.com/northwind/shop/issues/482","issueId":"#482"}},`, 4100151+i)
		}
		b.WriteString(`"tags":[{"id":4100101,"name":"Development","isWorkType":true},{"id":4100104,"name":"Urgent","isWorkType":false}],"isBillable":true,"isInvoiced":false}`)
	}
	b.WriteString("]")
	return []byte(b.String())
}

// The encoding/json baseline does the same work: decode, then read the
// naive times in the user's zone.
type stdEntry struct {
	ID        int64   `json:"id"`
	StartTime string  `json:"startTime"`
	EndTime   *string `json:"endTime"`
	Note      string  `json:"note"`
	Project   *struct {
		ID     int64  `json:"id"`
		Name   string `json:"name"`
		Status string `json:"status"`
		Client *struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"client"`
		IsBillable bool `json:"isBillable"`
	} `json:"project"`
	Task *struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		ExternalLink *struct {
			Caption, IconURL, Link, IssueID string
		} `json:"externalLink"`
	} `json:"task"`
	Tags []struct {
		ID         int64  `json:"id"`
		Name       string `json:"name"`
		IsWorkType bool   `json:"isWorkType"`
	} `json:"tags"`
	IsBillable bool `json:"isBillable"`
	IsInvoiced bool `json:"isInvoiced"`
}

func decodeStd(body []byte, loc *time.Location) ([]core.TimeEntry, error) {
	var raw []stdEntry
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	out := make([]core.TimeEntry, 0, len(raw))
	for _, r := range raw {
		e := core.TimeEntry{ID: r.ID, Note: r.Note, IsBillable: r.IsBillable, IsInvoiced: r.IsInvoiced}
		var err error
		if e.Start, err = core.ParseWire(r.StartTime, loc); err != nil {
			return nil, err
		}
		if r.EndTime != nil {
			if e.End, err = core.ParseWire(*r.EndTime, loc); err != nil {
				return nil, err
			}
		}
		if p := r.Project; p != nil {
			e.Project = &core.Project{ID: p.ID, Name: p.Name, Status: p.Status, IsBillable: p.IsBillable}
			if p.Client != nil {
				e.Project.Client = &core.ClientBasic{ID: p.Client.ID, Name: p.Client.Name}
			}
		}
		if t := r.Task; t != nil {
			e.Task = &core.Task{ID: t.ID, Name: t.Name}
			if l := t.ExternalLink; l != nil {
				e.Task.ExternalLink = &core.ExternalLink{Caption: l.Caption, IconURL: l.IconURL, Link: l.Link, IssueID: l.IssueID}
			}
		}
		for _, tg := range r.Tags {
			e.Tags = append(e.Tags, core.Tag{ID: tg.ID, Name: tg.Name, IsWorkType: tg.IsWorkType})
		}
		out = append(out, e)
	}
	return out, nil
}

// Both decoders must agree, or the benchmark compares different work.
func TestBaselineAgreesWithGjsonPath(t *testing.T) {
	body := realisticDay(50)
	a, err := core.ParseTimeEntries(body, la)
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeStd(body, la)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("decoders disagree:\n%s\n%s", ja[:300], jb[:300])
	}
}

func benchDecode(b *testing.B, n int, decode func([]byte, *time.Location) ([]core.TimeEntry, error)) {
	body := realisticDay(n)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		es, err := decode(body, la)
		if err != nil || len(es) != n {
			b.Fatal(err, len(es))
		}
	}
}

func BenchmarkDecodeDay(b *testing.B) {
	for _, n := range []int{20, 2000} {
		b.Run(fmt.Sprintf("entries=%d/decoder=gjson", n), func(b *testing.B) { benchDecode(b, n, core.ParseTimeEntries) })
		b.Run(fmt.Sprintf("entries=%d/decoder=encoding-json", n), func(b *testing.B) { benchDecode(b, n, decodeStd) })
	}
}

func BenchmarkBuildRequests(b *testing.B) {
	c, _ := core.NewClient("tok", core.WithTransport(core.DoerFunc(nil)), core.WithClock(core.ClockFunc(func() time.Time { return thursday })))
	s := laScope()
	start := thursday.Add(-time.Hour)
	running := core.TimeEntry{ID: 5, Start: start, Note: "n", Project: &core.Project{ID: 3}, Tags: []core.Tag{{ID: 6}}}
	builders := map[string]func() (*core.Request, error){
		"me":    c.MeRequest,
		"today": func() (*core.Request, error) { return c.TodayRequest(s) },
		"start": func() (*core.Request, error) {
			return c.StartTimerRequest(s, core.EntryInput{Note: "n", ProjectID: 3, TagIDs: []int64{6}})
		},
		"log": func() (*core.Request, error) {
			return c.LogTimeRequest(s, core.EntryInput{Note: "n", Start: start, End: thursday})
		},
		"stop-now": func() (*core.Request, error) { return c.StopTimerRequest(s, core.StopOptions{}) },
		"stop-at": func() (*core.Request, error) {
			return c.StopTimerRequest(s, core.StopOptions{At: thursday, Entry: &running})
		},
		"update": func() (*core.Request, error) { return c.UpdateEntryRequest(s, running) },
	}
	for name, build := range builders {
		b.Run("request="+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := build(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
