package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

func init() {
	register(&command{
		Name:  "queue",
		Usage: "queue [--json]",
		Help:  "列出本地缓存的待审队列 / list the cached queue",
		Run:   runQueue,
	})
}

// queueJSON is one entry of `sanshen queue --json`. The first six fields
// are a contract; the others may grow.
type queueJSON struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Column     string    `json:"column"`
	Stage      string    `json:"stage"`
	Version    int       `json:"version"`
	SHA256     string    `json:"sha256"`
	Department string    `json:"department"`
	UpdatedAt  time.Time `json:"updated_at"`
	Cached     bool      `json:"cached"`
	Draft      bool      `json:"draft"`
	Outbox     string    `json:"outbox"`
}

func runQueue(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "queue", "queue [--json]")
	asJSON := fs.Bool("json", false, `print a JSON array of {"id","title","column","stage","version","sha256",…}`)
	if code, ok := parseFlagsOnly(fs, args); !ok {
		return code
	}
	s, code := openSession(ctx, e, "queue")
	if s == nil {
		return code
	}
	defer s.Close()
	q, err := s.Queue(ctx)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen queue: %v\n", err)
		return 2
	}
	if *asJSON {
		out := make([]queueJSON, 0, len(q))
		for _, it := range q {
			out = append(out, queueJSON{ID: it.ID, Title: it.Title, Column: it.Column, Stage: string(it.Stage), Version: it.Version,
				SHA256: it.SHA256, Department: it.Department, UpdatedAt: it.UpdatedAt, Cached: it.Cached, Draft: it.Draft, Outbox: string(it.Outbox)})
		}
		return writeJSON(e, "queue", out)
	}
	st := s.State()
	if len(q) == 0 {
		fmt.Fprintln(e.Stdout, tr("待审队列为空（先运行 sanshen sync 拉取）", "the queue is empty (run sanshen sync to pull it)"))
	} else {
		rows := [][]string{strings.Split(tr("编号\t环节\t版本\t栏目\t标题\t本地", "ID\tSTAGE\tVER\tCOLUMN\tTITLE\tLOCAL"), "\t")}
		for _, it := range q {
			local := string(it.Outbox)
			if it.Draft {
				local = strings.TrimSpace(local + tr(" 草稿", " draft"))
			}
			rows = append(rows, []string{it.ID, stageName(string(it.Stage)), strconv.Itoa(it.Version), oneLine(it.Column), oneLine(it.Title), local})
		}
		writeTable(e.Stdout, rows)
	}
	last := tr("从未同步", "never synced")
	if !st.LastSync.IsZero() {
		last = st.LastSync.Local().Format("2006-01-02 15:04:05")
	}
	fmt.Fprintf(e.Stderr, tr("共 %d 件；上次同步 %s；待发送 %d\n", "%d items; last sync %s; %d pending\n"), len(q), last, st.Pending)
	return 0
}

// writeTable prints rows in columns aligned by display width (a Chinese
// character takes two cells).
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// writeJSON prints v as indented JSON without HTML escaping.
func writeJSON(e *env, cmd string, v any) int {
	enc := json.NewEncoder(e.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.Stderr, "sanshen %s: %v\n", cmd, err)
		return 2
	}
	return 0
}

// stageName names a stage in the user's language.
func stageName(stage string) string {
	if englishLocale() {
		return stage
	}
	switch stage {
	case "first":
		return "初审"
	case "second":
		return "复审"
	case "secrecy":
		return "保密审查"
	case "final":
		return "终审"
	}
	return stage
}
