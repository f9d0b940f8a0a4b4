package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sanshen/client"
	"sanshen/review"
	"sanshen/review/precheck"
)

func init() {
	register(&command{
		Name:  "show",
		Usage: "show ID [--json] [--version N] [--refresh]",
		Help:  "显示稿件详情、版本、审核记录与正文 / show an item, its versions, approvals, events and body",
		Run:   runShow,
	})
}

// showJSON is `sanshen show --json`.
type showJSON struct {
	ID              string                  `json:"id"`
	Title           string                  `json:"title"`
	Column          string                  `json:"column"`
	Department      string                  `json:"department"`
	Submitter       string                  `json:"submitter"`
	Stage           string                  `json:"stage"`
	Status          string                  `json:"status"`
	Disclosure      string                  `json:"disclosure"`
	RepostFrom      string                  `json:"repost_from"`
	Version         int                     `json:"version"`
	SHA256          string                  `json:"sha256"`
	Versions        []review.Version        `json:"versions"`
	Approvals       []review.Approval       `json:"approvals"`
	SecrecyFindings []review.SecrecyFinding `json:"secrecy_findings"`
	SecrecyRequired bool                    `json:"secrecy_required"`
	AllowedActions  []review.Action         `json:"allowed_actions"`
	Events          []review.Event          `json:"events"`
	Outbox          []outboxJSON            `json:"outbox"`
	Body            *bodyJSON               `json:"body"`
	// Findings are the offline pre-checks of the shown body (hints, not
	// verdicts), with rune offsets into its extracted text.
	Findings  []precheck.Finding `json:"findings"`
	FetchedAt time.Time          `json:"fetched_at"`
	Stale     bool               `json:"stale"`
	UpdatedAt time.Time          `json:"updated_at"`
}

type bodyJSON struct {
	Number      int    `json:"number"`
	SHA256      string `json:"sha256"`
	Title       string `json:"title"`
	ContentType string `json:"content_type"`
	Text        string `json:"text"`
}

func runShow(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "show", "show ID [--json] [--version N] [--refresh]")
	asJSON := fs.Bool("json", false, "print the item as JSON")
	version := fs.Int("version", 0, "show the body of version `N` (default: the current one)")
	refresh := fs.Bool("refresh", false, "fetch the item from the server first")
	noChecks := fs.Bool("no-checks", false, "do not run the offline pre-checks on the body")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	id := pos[0]
	s, code := openSession(ctx, e, "show")
	if s == nil {
		return code
	}
	defer s.Close()
	d, err := loadItem(ctx, s, id, *refresh)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen show: %v\n", err)
		if errors.Is(err, client.ErrNotFound) {
			return 1
		}
		return 2
	}
	cur, _ := d.Current()
	n := *version
	if n == 0 {
		n = cur.Number
	}
	var body *client.VersionBody
	if b, err := s.Body(ctx, id, n); err == nil {
		body = &b
	} else {
		fmt.Fprintf(e.Stderr, "sanshen show: "+tr("第 %d 版正文", "body of version %d")+": %v\n", n, err)
	}
	var findings []precheck.Finding
	if body != nil && !*noChecks {
		if c, err := checker(); err != nil {
			fmt.Fprintf(e.Stderr, "sanshen show: %s: %v\n", tr("预审提示不可用", "pre-checks unavailable"), err)
		} else {
			findings = c.Check(body.Body, body.ContentType)
		}
	}
	if *asJSON {
		out := showJSON{ID: d.ID, Title: d.Title, Column: d.Column, Department: d.Department, Submitter: d.Submitter,
			Stage: string(d.Stage), Status: string(d.Status), Disclosure: string(d.Disclosure), RepostFrom: d.RepostFrom,
			Version: cur.Number, SHA256: cur.SHA256, Versions: d.Versions, Approvals: d.Approvals,
			SecrecyFindings: d.SecrecyFindings, SecrecyRequired: d.SecrecyRequired(),
			AllowedActions: review.AllowedActions(d.Item, s.User()), Events: d.Events, FetchedAt: d.FetchedAt, Stale: d.Stale,
			UpdatedAt: d.UpdatedAt, Outbox: []outboxJSON{}}
		for _, o := range d.Outbox {
			out.Outbox = append(out.Outbox, newOutboxJSON(o))
		}
		if out.Approvals == nil {
			out.Approvals = []review.Approval{}
		}
		if out.SecrecyFindings == nil {
			out.SecrecyFindings = []review.SecrecyFinding{}
		}
		if out.AllowedActions == nil {
			out.AllowedActions = []review.Action{}
		}
		if out.Events == nil {
			out.Events = []review.Event{}
		}
		out.Findings = findings
		if out.Findings == nil {
			out.Findings = []precheck.Finding{}
		}
		if body != nil {
			out.Body = &bodyJSON{Number: body.Number, SHA256: body.SHA256, Title: body.Title, ContentType: body.ContentType, Text: body.Body}
		}
		return writeJSON(e, "show", out)
	}
	printItem(e.Stdout, d, s.User(), body, findings)
	return 0
}

// loadItem returns an item from the cache, fetching it when it is not
// cached (or refresh is asked and the server answers).
func loadItem(ctx context.Context, s *client.Session, id string, refresh bool) (client.ItemDetail, error) {
	if !refresh {
		d, err := s.Item(ctx, id)
		if !errors.Is(err, client.ErrNotCached) {
			return d, err
		}
	}
	d, err := s.FetchItem(ctx, id)
	if errors.Is(err, client.ErrUnreachable) {
		return d, fmt.Errorf("%s: %w", tr("本地没有该稿件且无法连接服务器", "the item is not cached and the server cannot be reached"), err)
	}
	return d, err
}

func printItem(w io.Writer, d client.ItemDetail, u review.User, body *client.VersionBody, findings []precheck.Finding) {
	cur, _ := d.Current()
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("%s\n", oneLine(d.Title))
	p("%s %s\n", tr("编号", "id"), d.ID)
	p("%s %s · %s %s · %s %s\n", tr("栏目", "column"), oneLine(d.Column), tr("处室", "department"), oneLine(d.Department),
		tr("撰稿", "submitter"), oneLine(d.Submitter))
	disclosure := string(d.Disclosure)
	if disclosure == "" {
		disclosure = tr("未定", "not set")
	}
	p("%s %s · %s %s · %s %s\n", tr("环节", "stage"), stageName(string(d.Stage)), tr("状态", "status"), d.Status,
		tr("公开属性", "disclosure"), disclosure)
	if d.RepostFrom != "" {
		p("%s %s\n", tr("转载自", "repost from"), oneLine(d.RepostFrom))
	}
	if d.Stale {
		p("%s\n", tr("（稿件已有变化，下次同步时更新）", "(the item changed; the next sync updates it)"))
	}
	p("%s\n", tr("版本：", "versions:"))
	for _, v := range d.Versions {
		p("  v%d  %.12s  %s  %s  %s\n", v.Number, v.SHA256, v.Kind, oneLine(v.Author), v.CreatedAt.Local().Format("2006-01-02 15:04"))
	}
	if len(d.Approvals) > 0 {
		p("%s\n", tr("本轮审核：", "approvals this round:"))
		for _, a := range d.Approvals {
			p("  %s  v%d  %s  %s\n", stageName(string(a.Stage)), a.Version, oneLine(a.User), a.At.Local().Format("2006-01-02 15:04"))
		}
	}
	if routes := d.SecrecyRoutes(); len(routes) > 0 {
		p("%s\n", tr("须保密审查：", "secrecy review required:"))
		for _, r := range routes {
			p("  %s %s\n", r.Reason, oneLine(r.Detail))
		}
	}
	if len(d.Events) > 0 {
		p("%s\n", tr("审核记录：", "events:"))
		for _, ev := range d.Events {
			p("  %s  %-10s %-16s %s v%d %s\n", ev.At.Local().Format("01-02 15:04"), oneLine(ev.Actor), ev.Kind,
				stageName(string(ev.Stage)), ev.Version, oneLine(ev.Detail))
		}
	}
	if len(d.Outbox) > 0 {
		p("%s\n", tr("本机审核意见：", "decisions made here:"))
		for _, o := range d.Outbox {
			p("  %s  %s  v%d  %s  %s\n", o.ID, o.Decision.Action, o.Decision.Version, stateName(o.State), oneLine(o.Message))
		}
	}
	if acts := review.AllowedActions(d.Item, u); len(acts) > 0 && cur.Number > 0 {
		names := make([]string, len(acts))
		for i, a := range acts {
			names[i] = string(a)
		}
		p("%s %s\n", tr("可执行：", "you may:"), strings.Join(names, ", "))
	}
	if len(findings) > 0 {
		p("%s\n", tr("预审提示（仅供参考）：", "pre-check findings (hints only):"))
		for _, c := range review.Checks {
			for _, f := range findings {
				if f.Check != c {
					continue
				}
				msg := f.Message
				if englishLocale() && f.MessageEN != "" {
					msg = f.MessageEN
				}
				name := review.CheckNameZH(c)
				if englishLocale() {
					name = string(c)
				}
				line := fmt.Sprintf("  [%s] %s %s: %s «%s»", name, f.Severity, f.Rule, oneLine(msg), oneLine(f.Excerpt))
				if f.Suggestion != "" {
					line += " → " + oneLine(f.Suggestion)
				}
				p("%s\n", line)
			}
		}
	}
	if body != nil {
		p("\n--- "+tr("第 %d 版正文", "body of version %d")+" (%s, sha256 %.12s) ---\n", body.Number, body.ContentType, body.SHA256)
		p("%s\n", safeText(body.Body))
	}
}
