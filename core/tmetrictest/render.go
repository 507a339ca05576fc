package tmetrictest

import (
	"sort"
	"strconv"
	"time"
)

// The fake answers with the shapes TMetric documents, keys as its OpenAPI
// contract spells them, so the contract tests can validate every answer.

func (s *Server) userJSON(u *User) map[string]any {
	loc := u.loc
	_, off := s.clock.Now().In(loc).Zone()
	_, jan := time.Date(s.clock.Now().Year(), 1, 1, 0, 0, 0, 0, loc).Zone()
	_, jul := time.Date(s.clock.Now().Year(), 7, 1, 0, 0, 0, 0, loc).Zone()
	accounts := []map[string]any{}
	ids := make([]int64, 0, len(u.Roles))
	for id := range u.Roles {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		a := s.accounts[id]
		if a == nil {
			continue
		}
		tt := map[string]any{
			"allowManualEditing": a.Rules.AllowManualEditing, "allowNewProject": false, "allowNewClient": false,
			"allowNewTags": a.Rules.AllowNewTags, "allowNewTask": a.Rules.AllowNewTask,
			"requireDescription": a.Rules.RequireDescription, "requireProject": a.Rules.RequireProject,
			"requireTags": a.Rules.RequireTags, "requireTask": a.Rules.RequireTask, "allowTeamView": false,
		}
		if a.Rules.DefaultWorkTypeID != 0 {
			tt["defaultWorkTypeId"] = a.Rules.DefaultWorkTypeID
		}
		accounts = append(accounts, map[string]any{
			"id": a.ID, "name": a.Name, "firstWeekDay": 1, "role": u.Roles[id], "timeTracking": tt,
			"activity": map[string]any{"inactivityStopMinutes": 0, "captureActivityLine": false, "captureActivityLevels": false,
				"captureAppsAndSites": false, "captureDetails": false, "captureScreenshots": false, "blurScreenshots": false},
		})
	}
	return map[string]any{
		"id": u.ID, "name": u.Name, "email": u.Email, "activeAccountId": u.ActiveAccountID,
		"dateFormat": u.DateFormat, "timeFormat": u.TimeFormat,
		"iconUrl":     "https://app.tmetric.com/avatars/" + strconv.FormatInt(u.ID, 10) + ".png",
		"cultureInfo": map[string]any{"id": "en", "nativeName": "English"},
		"timeZone": map[string]any{"id": u.Zone, "displayName": u.Zone, "currentOffset": float64(off) / 3600,
			"winterOffset": float64(min(jan, jul)) / 3600, "summerOffset": float64(max(jan, jul)) / 3600},
		"accounts": accounts,
	}
}

func (a *Account) client(id int64) *Client {
	for i := range a.Clients {
		if a.Clients[i].ID == id {
			return &a.Clients[i]
		}
	}
	return nil
}

func (a *Account) project(id int64) *Project {
	for i := range a.Projects {
		if a.Projects[i].ID == id {
			return &a.Projects[i]
		}
	}
	return nil
}

func (a *Account) projectJSON(p *Project) map[string]any {
	out := map[string]any{"id": p.ID, "name": p.Name, "status": p.Status, "isBillable": p.IsBillable}
	if c := a.client(p.ClientID); c != nil {
		out["client"] = map[string]any{"id": c.ID, "name": c.Name}
	}
	return out
}

func (a *Account) taskJSON(id int64) map[string]any {
	for _, t := range a.Tasks {
		if t.ID == id {
			out := map[string]any{"id": t.ID, "name": t.Name}
			if t.Link != "" {
				out["externalLink"] = map[string]any{"caption": t.IssueID, "iconUrl": "https://github.com/favicon.ico", "link": t.Link, "issueId": t.IssueID}
			}
			return out
		}
	}
	return nil
}

func (a *Account) tagsJSON(ids []int64) []map[string]any {
	out := []map[string]any{}
	for _, id := range ids {
		for _, t := range a.Tags {
			if t.ID == id {
				out = append(out, map[string]any{"id": t.ID, "name": t.Name, "isWorkType": t.IsWorkType})
			}
		}
	}
	return out
}

func (s *Server) entryJSON(a *Account, u *User, e *entry) map[string]any {
	out := map[string]any{
		"id": e.ID, "startTime": e.Start.In(u.loc).Format(wireLayout), "endTime": nil,
		"note": e.Note, "tags": a.tagsJSON(e.TagIDs), "isInvoiced": false, "isBillable": false,
	}
	if !e.running() {
		out["endTime"] = e.End.In(u.loc).Format(wireLayout)
	}
	if p := a.project(e.ProjectID); p != nil {
		out["project"] = a.projectJSON(p)
		out["isBillable"] = p.IsBillable
	}
	if t := a.taskJSON(e.TaskID); t != nil {
		out["task"] = t
	}
	return out
}

func (s *Server) recentJSON(a *Account, u *User) []map[string]any {
	out := []map[string]any{}
	seen := map[string]bool{}
	es := u.entries[a.ID]
	for i := len(es) - 1; i >= 0 && len(out) < 25; i-- {
		e := es[i]
		key := e.Note + "\x00" + strconv.FormatInt(e.ProjectID, 10) + "\x00" + strconv.FormatInt(e.TaskID, 10)
		if seen[key] {
			continue
		}
		seen[key] = true
		r := map[string]any{"note": e.Note, "tags": a.tagsJSON(e.TagIDs), "isPinned": false}
		if p := a.project(e.ProjectID); p != nil {
			r["project"] = a.projectJSON(p)
			r["isBillable"] = p.IsBillable
		}
		if t := a.taskJSON(e.TaskID); t != nil {
			r["task"] = t
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) projectsJSON(a *Account, u *User) []map[string]any {
	used := map[int64]time.Time{}
	for _, e := range u.entries[a.ID] {
		if e.Start.After(used[e.ProjectID]) {
			used[e.ProjectID] = e.Start
		}
	}
	out := []map[string]any{}
	for i := range a.Projects {
		p := &a.Projects[i]
		if p.Status != "active" {
			continue
		}
		j := a.projectJSON(p)
		if t, ok := used[p.ID]; ok {
			j["recentUsageTime"] = t.In(u.loc).Format(wireLayout)
		}
		out = append(out, j)
	}
	return out
}

func tagsJSON(a *Account) []map[string]any {
	out := []map[string]any{}
	for _, t := range a.Tags {
		out = append(out, map[string]any{"id": t.ID, "name": t.Name, "isWorkType": t.IsWorkType, "isWorkTypeBillable": t.IsWorkType})
	}
	return out
}

func clientsJSON(a *Account) []map[string]any {
	out := []map[string]any{}
	for _, c := range a.Clients {
		out = append(out, map[string]any{"id": c.ID, "name": c.Name})
	}
	return out
}
