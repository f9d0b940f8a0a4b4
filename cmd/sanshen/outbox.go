package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sanshen/client"
)

func init() {
	register(&command{
		Name:  "outbox",
		Usage: "outbox [--json]",
		Help:  "列出本机作出的审核意见及其发送状态 / list decisions made here and their state",
		Run:   runOutbox,
	})
}

// outboxJSON is one entry of `sanshen outbox --json`. The first five
// fields are a contract; the others may grow.
type outboxJSON struct {
	ID           string     `json:"id"`
	Item         string     `json:"item"`
	Action       string     `json:"action"`
	State        string     `json:"state"`
	Message      string     `json:"message"`
	Title        string     `json:"title"`
	Stage        string     `json:"stage"`
	Version      int        `json:"version"`
	SHA256       string     `json:"sha256"`
	HTTPStatus   int        `json:"http_status,omitempty"`
	Code         string     `json:"code,omitempty"`
	Attempts     int        `json:"attempts"`
	LastError    string     `json:"last_error,omitempty"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
}

func newOutboxJSON(o client.OutboxEntry) outboxJSON {
	j := outboxJSON{ID: o.ID, Item: o.ItemID, Action: string(o.Decision.Action), State: string(o.State), Message: o.Message,
		Title: o.ItemTitle, Stage: string(o.Decision.Stage), Version: o.Decision.Version, SHA256: o.Decision.SHA256,
		HTTPStatus: o.HTTPStatus, Code: o.Code, Attempts: o.Attempts, LastError: o.LastError, SupersededBy: o.SupersededBy,
		CreatedAt: o.CreatedAt}
	if !o.SentAt.IsZero() {
		t := o.SentAt
		j.SentAt = &t
	}
	return j
}

func runOutbox(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "outbox", "outbox [--json]")
	asJSON := fs.Bool("json", false, `print a JSON array of {"id","item","action","state","message",…}`)
	if code, ok := parseFlagsOnly(fs, args); !ok {
		return code
	}
	s, code := openSession(ctx, e, "outbox")
	if s == nil {
		return code
	}
	defer s.Close()
	entries, err := s.Outbox(ctx)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen outbox: %v\n", err)
		return 2
	}
	if *asJSON {
		out := make([]outboxJSON, 0, len(entries))
		for _, o := range entries {
			out = append(out, newOutboxJSON(o))
		}
		return writeJSON(e, "outbox", out)
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.Stdout, tr("本机尚未作出审核意见", "no decisions made here yet"))
		return 0
	}
	rows := [][]string{strings.Split(tr("时间\t稿件\t操作\t状态\t说明", "TIME\tITEM\tACTION\tSTATE\tNOTE"), "\t")}
	for _, o := range entries {
		note := o.Message
		if o.State == client.OutboxPending && o.LastError != "" {
			note = o.LastError
		}
		if o.SupersededBy != "" {
			note = tr("已重新作出 ", "redone as ") + o.SupersededBy + "; " + note
		}
		rows = append(rows, []string{o.CreatedAt.Local().Format("01-02 15:04"), o.ItemID, string(o.Decision.Action),
			stateName(o.State), oneLine(note)})
	}
	writeTable(e.Stdout, rows)
	return 0
}

// stateName names an outbox state for a person, with the English word kept.
func stateName(s client.OutboxState) string {
	if englishLocale() {
		return string(s)
	}
	switch s {
	case client.OutboxPending:
		return "待发送 pending"
	case client.OutboxSent:
		return "已接受 sent"
	case client.OutboxConflict:
		return "冲突 conflict"
	case client.OutboxRejected:
		return "被拒绝 rejected"
	}
	return string(s)
}
