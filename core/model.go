package core

import (
	"time"
)

// User is the profile behind a token (GET /user).
type User struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	Email           string    `json:"email"`
	ActiveAccountID int64     `json:"activeAccountId"`
	TimeZone        TimeZone  `json:"timeZone"`
	DateFormat      string    `json:"dateFormat"`
	TimeFormat      string    `json:"timeFormat"`
	Accounts        []Account `json:"accounts"`
}

// TimeZone is the user's TMetric time zone: "today" is computed there.
type TimeZone struct {
	ID            string  `json:"id"` // IANA name, e.g. "Pacific/Auckland"
	DisplayName   string  `json:"displayName"`
	CurrentOffset float64 `json:"currentOffset"` // hours east of UTC, now
}

// Account is a workspace the user belongs to.
type Account struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Role         string       `json:"role"`
	FirstWeekDay int          `json:"firstWeekDay"`
	Rules        TimeTracking `json:"timeTracking"`
}

// TimeTracking holds a workspace's rules for new entries.
type TimeTracking struct {
	RequireProject     bool  `json:"requireProject"`
	RequireTask        bool  `json:"requireTask"`
	RequireTags        bool  `json:"requireTags"`
	RequireDescription bool  `json:"requireDescription"`
	AllowManualEditing bool  `json:"allowManualEditing"`
	AllowNewTags       bool  `json:"allowNewTags"`
	AllowNewTask       bool  `json:"allowNewTask"`
	DefaultWorkTypeID  int64 `json:"defaultWorkTypeId,omitempty"`
}

// TimeEntry is one span of tracked time. A zero End means the timer runs.
type TimeEntry struct {
	ID         int64     `json:"id"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Note       string    `json:"note"`
	Project    *Project  `json:"project,omitempty"`
	Task       *Task     `json:"task,omitempty"`
	Tags       []Tag     `json:"tags"`
	IsBillable bool      `json:"isBillable"`
	IsInvoiced bool      `json:"isInvoiced"`
}

// Running reports whether this entry is the running timer.
func (e *TimeEntry) Running() bool { return e.End.IsZero() }

// Project is a project time can be tracked to.
type Project struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	Client          *ClientBasic `json:"client,omitempty"`
	Status          string       `json:"status,omitempty"` // active, done, archived
	IsBillable      bool         `json:"isBillable"`
	RecentUsageTime time.Time    `json:"recentUsageTime"` // projects list only
}

// ClientBasic is the customer a project is for.
type ClientBasic struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Task is a task inside a project, possibly linked to an external tracker.
type Task struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name"`
	ExternalLink *ExternalLink `json:"externalLink,omitempty"`
}

// ExternalLink points a task at an issue in another system.
type ExternalLink struct {
	Caption string `json:"caption"`
	IconURL string `json:"iconUrl"`
	Link    string `json:"link"`
	IssueID string `json:"issueId"`
}

// Tag is a tag or, when IsWorkType, a work type.
type Tag struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	IsWorkType bool   `json:"isWorkType"`
}

// RecentEntry is a recently used combination of note, project, task and tags.
type RecentEntry struct {
	Note     string   `json:"note"`
	Project  *Project `json:"project,omitempty"`
	Task     *Task    `json:"task,omitempty"`
	Tags     []Tag    `json:"tags"`
	IsPinned bool     `json:"isPinned"`
}
