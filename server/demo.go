package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"sanshen/review"
)

// ErrAlreadySeeded is returned by SeedDemo on a database that has users.
var ErrAlreadySeeded = errors.New("the database already has users; demo data is only added to an empty database")

// demoUser is an account of the demo.
type demoUser struct {
	Username, DisplayName, Department string
	Role                              review.Role
}

// DemoUsers are the usernames SeedDemo creates, one per role, plus a second
// submitter of the same department (who may resubmit the first one's items).
var demoUsers = []demoUser{
	{"submitter", "王芳", "宣传教育处", review.RoleSubmitter},
	{"drafter", "李娜", "宣传教育处", review.RoleSubmitter},
	{"reviewer", "陈立", "办公室", review.RoleReviewer},
	{"head", "赵国强", "宣传教育处", review.RoleHead},
	{"secrecy", "孙敏", "保密办公室", review.RoleSecrecyOfficer},
	{"leader", "刘建华", "委领导", review.RoleLeader},
	{"office", "周婷", "办公室", review.RoleOffice},
}

// DemoUsernames lists the demo accounts.
func DemoUsernames() []string {
	out := make([]string, len(demoUsers))
	for i, u := range demoUsers {
		out[i] = u.Username
	}
	return out
}

// demoColumns are the portal's columns (DESIGN §2.7); the special column's
// end date is set by SeedDemo.
func demoColumns(now time.Time) []Column {
	// The heating season runs from November to March: the special column
	// ends on 31 March of the season that is running or coming.
	y := now.Year()
	if now.Month() >= time.April {
		y++
	}
	return []Column{
		{Name: "新闻动态", Kind: ColumnNews, Department: "宣传教育处", Person: "王芳", UpdateRule: UpdateWeekly},
		{Name: "通知公告", Kind: ColumnNotice, Department: "办公室", Person: "周婷", UpdateRule: UpdateTimely},
		{Name: "政策文件", Kind: ColumnPolicy, Department: "政策法规处", Person: "马骏", UpdateRule: UpdateQuarterly},
		{Name: "人事信息", Kind: ColumnPersonnel, Department: "组织人事处", Person: "何静", UpdateRule: UpdateHalfYearly},
		{Name: "规划计划", Kind: ColumnPlanning, Department: "规划发展处", Person: "吴磊", UpdateRule: UpdateHalfYearly},
		{Name: "办事服务", Kind: ColumnService, Department: "行政审批处", Person: "郑洁", UpdateRule: UpdateTimely},
		{Name: demoSpecialColumn(y), Kind: ColumnSpecial, Department: "供热管理处", Person: "高峰", UpdateRule: UpdateWeekly,
			EndDate: fmt.Sprintf("%d-03-31", y)},
	}
}

func demoSpecialColumn(endYear int) string {
	return fmt.Sprintf("%d—%d年度供热保障专题", endYear-1, endYear)
}

// specialColumn is the placeholder demo items use for the special column.
const specialColumn = "专题"

// demoStep is one act on a demo item, by the demo user whose role acts at
// the item's stage (the submitter for resubmit, office for publish).
type demoStep struct {
	Act     string   // approve, unsure, return, reject, proofread, resubmit, publish
	Edits   []string // proofread, resubmit: old/new pairs applied to the current body
	Title   string   // proofread, resubmit: a new title
	Fail    review.Check
	Comment string
	Reason  string
	By      string            // resubmit: who resubmits (default: the item's submitter)
	Disc    review.Disclosure // approve at the first stage (default: proactive)
}

// demoItem is an item of the demo and what happens to it.
type demoItem struct {
	Title       string
	Column      string
	ContentType string // default text/plain
	Body        string
	RepostFrom  string
	Proposed    review.Disclosure
	Department  string // default: the column's department
	Submitter   string // default: submitter
	Steps       []demoStep
}

// SeedDemo fills an empty database with the demo: users (password for
// all), columns, and items at every stage, driven through the same code as
// the API so that their audit events are real.
func (s *Server) SeedDemo(ctx context.Context, password string) error {
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return ErrAlreadySeeded
	}
	now := s.now()
	accounts := map[string]review.User{}
	for _, du := range demoUsers {
		if err := s.AddUser(ctx, du.Username, du.DisplayName, password, []review.Role{du.Role}, du.Department); err != nil {
			return fmt.Errorf("demo user %s: %w", du.Username, err)
		}
		accounts[du.Username] = review.User{Username: du.Username, DisplayName: du.DisplayName, Roles: []review.Role{du.Role}, Department: du.Department}
	}
	cols := demoColumns(now)
	for _, c := range cols {
		if err := s.AddColumn(ctx, c); err != nil {
			return err
		}
	}
	colDept := map[string]string{}
	for _, c := range cols {
		colDept[c.Name] = c.Department
	}
	special := cols[len(cols)-1].Name
	// The demo's history starts three weeks ago; each act takes its time.
	clock := now.Add(-21 * 24 * time.Hour)
	items := demoItems()
	step := (20 * 24 * time.Hour) / time.Duration(len(items)+1)
	for i, di := range items {
		t := clock.Add(time.Duration(i) * step)
		tick := func() time.Time { t = t.Add(47 * time.Minute); return t }
		if err := s.seedItem(ctx, accounts, di, special, colDept, tick); err != nil {
			return fmt.Errorf("demo item %d %q: %w", i+1, di.Title, err)
		}
	}
	return nil
}

var stageActor = map[review.Stage]string{
	review.StageFirst: "reviewer", review.StageSecond: "head", review.StageSecrecy: "secrecy", review.StageFinal: "leader",
}

func (s *Server) seedItem(ctx context.Context, accounts map[string]review.User, di demoItem, special string, colDept map[string]string, tick func() time.Time) error {
	col := di.Column
	if col == specialColumn {
		col = special
	}
	ct := di.ContentType
	if ct == "" {
		ct = review.ContentPlain
	}
	submitter := di.Submitter
	if submitter == "" {
		submitter = "submitter"
	}
	dept := di.Department
	if dept == "" {
		dept = colDept[col]
	}
	it, err := s.createItem(ctx, accounts[submitter], createItemRequest{Title: di.Title, Column: col, Body: di.Body, ContentType: ct,
		RepostFrom: di.RepostFrom, ProposedDisclosure: di.Proposed, Department: dept}, tick())
	if err != nil {
		return err
	}
	body := di.Body
	for _, st := range di.Steps {
		cur, _ := it.Current()
		switch st.Act {
		case "proofread", "resubmit":
			for i := 0; i+1 < len(st.Edits); i += 2 {
				if !strings.Contains(body, st.Edits[i]) {
					return fmt.Errorf("%s: %q is not in the body", st.Act, st.Edits[i])
				}
				body = strings.Replace(body, st.Edits[i], st.Edits[i+1], 1)
			}
			kind, by := review.KindProofread, stageActor[it.Stage]
			if st.Act == "resubmit" {
				kind, by = review.KindSubmission, submitter
				if st.By != "" {
					by = st.By
				}
			}
			it, err = s.addVersion(ctx, accounts[by], it.ID, addVersionRequest{Body: body, Kind: kind, Title: st.Title}, tick())
		case "publish":
			it, err = s.publish(ctx, accounts["office"], it.ID, cur.SHA256, tick())
		default:
			d := review.Decision{ID: uuid.NewString(), Stage: it.Stage, Version: cur.Number, SHA256: cur.SHA256, Verdicts: review.Verdicts{}}
			for _, c := range review.Checks {
				d.Verdicts[c] = review.CheckResult{Verdict: review.VerdictPass}
			}
			switch st.Act {
			case "approve", "unsure":
				d.Action = review.ActionApprove
				if it.Stage == review.StageFirst {
					d.Disclosure = review.DisclosureProactive
					if st.Disc != "" {
						d.Disclosure = st.Disc
					}
				}
				if st.Act == "unsure" {
					d.Verdicts[review.CheckSecrecy] = review.CheckResult{Verdict: review.VerdictUnsure, Comment: st.Comment}
				}
			case "return", "reject":
				d.Action = review.Action(st.Act)
				d.Verdicts[st.Fail] = review.CheckResult{Verdict: review.VerdictFail, Comment: st.Comment}
				d.Reason = st.Reason
			default:
				return fmt.Errorf("unknown demo act %q", st.Act)
			}
			var status int
			status, _, err = s.decide(ctx, accounts[stageActor[it.Stage]], it.ID, d, tick())
			if err == nil && status != 201 {
				err = fmt.Errorf("decision answered %d", status)
			}
			if err == nil {
				it, err = loadItem(ctx, s.rdb, it.ID)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.Act, err)
		}
	}
	return nil
}
