package review

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Draft is what a submitter sends to create an item.
type Draft struct {
	ID                 string     // chosen by storage
	Title              string     //
	Column             string     //
	Department         string     // the submitter's department unless set
	RepostFrom         string     // source site of a repost (转载), empty otherwise
	ProposedDisclosure Disclosure // only a proposal
	Version            NewVersion
}

// NewVersion describes a version about to be stored: the hash of its
// canonical body (see Hash) and the secrecy findings the pre-checks raised on it.
type NewVersion struct {
	SHA256          string
	ContentType     string
	SecrecyFindings []SecrecyFinding
}

func (nv NewVersion) validate() error {
	if len(nv.SHA256) != 64 {
		return invalid("version-hash", "a version needs the SHA-256 of its canonical body", "版本缺少规范正文的 SHA-256")
	}
	if nv.ContentType != ContentPlain && nv.ContentType != ContentHTML {
		return invalid("content-type", fmt.Sprintf("content type %q is not text/plain or text/html", nv.ContentType),
			fmt.Sprintf("内容类型 %q 不是 text/plain 或 text/html", nv.ContentType))
	}
	return nil
}

// Submit creates an item from a draft: version 1 at the first stage.
func Submit(u User, d Draft, now time.Time) (Item, []Event, error) {
	if !u.Has(RoleSubmitter) {
		return Item{}, nil, forbidden("submitter-role", "only a submitter may submit items", "只有撰稿人可以提交稿件")
	}
	if strings.TrimSpace(d.Title) == "" {
		return Item{}, nil, invalid("title-required", "an item needs a title", "稿件必须有标题")
	}
	if strings.TrimSpace(d.Column) == "" {
		return Item{}, nil, invalid("column-required", "an item needs a column", "稿件必须指定栏目")
	}
	if d.ProposedDisclosure != DisclosureNone && !d.ProposedDisclosure.Valid() {
		return Item{}, nil, invalid("disclosure-value", fmt.Sprintf("unknown disclosure %q", d.ProposedDisclosure),
			fmt.Sprintf("未知的公开属性 %q", d.ProposedDisclosure))
	}
	if err := d.Version.validate(); err != nil {
		return Item{}, nil, err
	}
	dept := d.Department
	if dept == "" {
		dept = u.Department
	}
	it := Item{
		ID: d.ID, Title: d.Title, Column: d.Column, Department: dept, Submitter: u.Username,
		Stage: StageFirst, Status: StatusInReview, ProposedDisclosure: d.ProposedDisclosure,
		RepostFrom: d.RepostFrom, UpdatedAt: now,
		Versions: []Version{{
			Number: 1, SHA256: d.Version.SHA256, Kind: KindSubmission, Author: u.Username,
			CreatedAt: now, ContentType: d.Version.ContentType,
		}},
		SecrecyFindings: slices.Clone(d.Version.SecrecyFindings),
	}
	evs := []Event{
		{At: now, Actor: u.Username, Kind: EventSubmitted, Stage: StageFirst, Version: 1, SHA256: d.Version.SHA256, Detail: d.Title},
		systemEvent(now, EventStageEntered, it, "first"),
	}
	return it, evs, nil
}

// Resubmit adds a new submission version to a returned item. The review
// restarts at the first stage: earlier approvals, unsure marks and dismissals
// belong to the previous round (they stay in the audit events).
func Resubmit(it Item, u User, nv NewVersion, now time.Time) (Item, []Event, error) {
	if !u.Has(RoleSubmitter) || (u.Username != it.Submitter && u.Department != it.Department) {
		return Item{}, nil, forbidden("resubmit-owner", "only the item's submitter or a submitter of its department may resubmit it",
			"只有稿件的撰稿人或本部门撰稿人可以重新提交")
	}
	if it.Status != StatusReturned {
		return Item{}, nil, conflict("resubmit-status", fmt.Sprintf("only a returned item can be resubmitted; this one is %s", it.Status),
			fmt.Sprintf("只有被退回的稿件才能重新提交；该稿件状态为 %s", it.Status))
	}
	if err := nv.validate(); err != nil {
		return Item{}, nil, err
	}
	it = it.clone()
	v := Version{Number: len(it.Versions) + 1, SHA256: nv.SHA256, Kind: KindSubmission, Author: u.Username, CreatedAt: now, ContentType: nv.ContentType}
	it.Versions = append(it.Versions, v)
	it.Stage, it.Status, it.UpdatedAt = StageFirst, StatusInReview, now
	it.Approvals, it.Unsure = nil, nil
	it.Disclosure = DisclosureNone
	it.SecrecyFindings = slices.Clone(nv.SecrecyFindings)
	evs := []Event{
		{At: now, Actor: u.Username, Kind: EventResubmitted, Stage: StageFirst, Version: v.Number, SHA256: v.SHA256},
		systemEvent(now, EventStageEntered, it, "first"),
	}
	return it, evs, nil
}

// Proofread adds a reviewer's corrected text (校对) as a new version. The item
// stays at its stage and keeps its approvals; later stages are shown what
// changed since each approval. Dismissals of secrecy findings carry over to
// findings with the same key. If the new text raises a secrecy finding after
// the secrecy stage was passed or skipped, the item is routed to the secrecy
// officer before the final sign-off.
func Proofread(it Item, u User, nv NewVersion, now time.Time) (Item, []Event, error) {
	if it.Status != StatusInReview {
		return Item{}, nil, conflict("not-in-review", fmt.Sprintf("the item is %s, not in review", it.Status),
			fmt.Sprintf("稿件状态为 %s，不在审核中", it.Status))
	}
	if u.Username == it.Submitter {
		return Item{}, nil, forbidden("own-submission", "nobody reviews their own submission", "任何人不得审核本人提交的稿件")
	}
	if !u.CanActAt(it.Stage) {
		return Item{}, nil, forbidden("stage-role", fmt.Sprintf("only a %s may act at the %s stage", RoleFor(it.Stage), it.Stage),
			fmt.Sprintf("%s 环节只能由 %s 处理", it.Stage, RoleFor(it.Stage)))
	}
	if err := nv.validate(); err != nil {
		return Item{}, nil, err
	}
	it = it.clone()
	old := map[string]SecrecyFinding{}
	for _, f := range it.SecrecyFindings {
		old[f.Key] = f
	}
	it.SecrecyFindings = nil
	for _, f := range nv.SecrecyFindings {
		if o, ok := old[f.Key]; ok && !o.Open() {
			f.DismissedBy, f.DismissReason = o.DismissedBy, o.DismissReason
		}
		it.SecrecyFindings = append(it.SecrecyFindings, f)
	}
	v := Version{Number: len(it.Versions) + 1, SHA256: nv.SHA256, Kind: KindProofread, Author: u.Username, CreatedAt: now, ContentType: nv.ContentType}
	it.Versions = append(it.Versions, v)
	it.UpdatedAt = now
	evs := []Event{{At: now, Actor: u.Username, Kind: EventProofread, Stage: it.Stage, Version: v.Number, SHA256: v.SHA256}}
	if it.Stage == StageFinal && it.SecrecyPending() {
		it.Stage = StageSecrecy
		evs = append(evs, systemEvent(now, EventSecrecyRouted, it, routeSummary(it.SecrecyRoutes())))
	}
	return it, evs, nil
}

// SecrecyPending reports whether the item still has to pass the secrecy stage
// in this round: a reason requires it and either the secrecy officer has not
// approved yet, or a secrecy finding opened after the approval.
func (it Item) SecrecyPending() bool {
	routes := it.SecrecyRoutes()
	if len(routes) == 0 {
		return false
	}
	if _, ok := it.approvalAt(StageSecrecy); !ok {
		return true
	}
	return slices.ContainsFunc(routes, func(r SecrecyRoute) bool { return r.Reason == RouteFinding })
}

// Decide applies decision d by user u to item it at time now. It returns the
// new state and the audit events, or a *RuleError naming the broken rule.
// it is not modified.
func Decide(it Item, u User, d Decision, now time.Time) (Item, []Event, error) {
	if err := CheckDecision(it, u, d); err != nil {
		return Item{}, nil, err
	}
	cur, _ := it.Current()
	it = it.clone()
	it.UpdatedAt = now
	var evs []Event
	for _, dm := range d.Dismissals {
		for i := range it.SecrecyFindings {
			if it.SecrecyFindings[i].Key == dm.Finding {
				it.SecrecyFindings[i].DismissedBy = u.Username
				it.SecrecyFindings[i].DismissReason = dm.Reason
				evs = append(evs, Event{At: now, Actor: u.Username, Kind: EventFindingDismissed, Stage: d.Stage,
					Version: cur.Number, SHA256: cur.SHA256, Detail: dm.Finding + " — " + dm.Reason})
			}
		}
	}
	human := Event{At: now, Actor: u.Username, Stage: d.Stage, Version: cur.Number, SHA256: cur.SHA256, Detail: decisionDetail(d)}
	switch d.Action {
	case ActionReturn:
		human.Kind = EventReturned
		it.Status, it.Stage = StatusReturned, StageFirst
		return it, append(evs, human), nil
	case ActionReject:
		human.Kind = EventRejected
		it.Status = StatusRejected
		return it, append(evs, human), nil
	}
	// Approve.
	if d.Stage == StageFirst {
		it.Disclosure = d.Disclosure
	}
	if d.Verdicts[CheckSecrecy].Verdict == VerdictUnsure {
		it.Unsure = append(it.Unsure, SecrecyRoute{Reason: RouteUnsure, By: u.Username, Stage: d.Stage,
			Detail: d.Verdicts[CheckSecrecy].Comment})
	}
	if d.Stage == StageSecrecy {
		for i := range it.SecrecyFindings {
			if it.SecrecyFindings[i].Open() {
				it.SecrecyFindings[i].DismissedBy = u.Username
				it.SecrecyFindings[i].DismissReason = "passed secrecy review 保密审查通过"
			}
		}
	}
	it.Approvals = append(it.Approvals, Approval{Stage: d.Stage, Version: cur.Number, SHA256: cur.SHA256, User: u.Username,
		At: now, Verdicts: cloneVerdicts(d.Verdicts)})
	human.Kind = EventApproved
	switch d.Stage {
	case StageFirst:
		it.Stage = StageSecond
	case StageSecond:
		if it.SecrecyPending() {
			it.Stage = StageSecrecy
		} else {
			it.Stage = StageFinal
		}
	case StageSecrecy:
		it.Stage = StageFinal
	case StageFinal:
		human.Kind = EventSignedOff
		it.Status = StatusApproved
	}
	evs = append(evs, human)
	switch {
	case it.Status == StatusApproved:
	case it.Stage == StageSecrecy:
		evs = append(evs, systemEvent(now, EventSecrecyRouted, it, routeSummary(it.SecrecyRoutes())))
	default:
		evs = append(evs, systemEvent(now, EventStageEntered, it, string(it.Stage)))
	}
	return it, evs, nil
}

// CheckDecision reports whether user u may make decision d on item it, and
// returns the first broken rule as a *RuleError. Checks run in this order:
// item in review (409), own submission (403), role for the stage (403), stage,
// version and hash current (409), then the form and the rules of the decision
// itself (422).
func CheckDecision(it Item, u User, d Decision) error {
	if !d.Stage.Valid() {
		return invalid("stage-value", fmt.Sprintf("unknown stage %q", d.Stage), fmt.Sprintf("未知的审核环节 %q", d.Stage))
	}
	if it.Status != StatusInReview {
		return conflict("not-in-review", fmt.Sprintf("the item is %s, not in review", it.Status),
			fmt.Sprintf("稿件状态为 %s，不在审核中", it.Status))
	}
	if u.Username == it.Submitter {
		return forbidden("own-submission", "nobody reviews their own submission", "任何人不得审核本人提交的稿件")
	}
	if !u.CanActAt(d.Stage) {
		if d.Stage == StageFinal {
			return forbidden("stage-role", "only a leader may sign off", "只有领导可以签发")
		}
		return forbidden("stage-role", fmt.Sprintf("only a %s may decide at the %s stage", RoleFor(d.Stage), d.Stage),
			fmt.Sprintf("%s 环节只能由 %s 审核", d.Stage, RoleFor(d.Stage)))
	}
	if d.Stage != it.Stage {
		return conflict("stale-stage", fmt.Sprintf("the item is at the %s stage, not %s", it.Stage, d.Stage),
			fmt.Sprintf("稿件当前处于 %s 环节，而不是 %s", it.Stage, d.Stage))
	}
	cur, ok := it.Current()
	if !ok || d.Version != cur.Number || d.SHA256 != cur.SHA256 {
		return conflict("stale-version", fmt.Sprintf("the decision names version %d (%.12s), the current version is %d (%.12s)", d.Version, d.SHA256, cur.Number, cur.SHA256),
			fmt.Sprintf("审核意见针对第 %d 版，当前为第 %d 版", d.Version, cur.Number))
	}
	for _, a := range it.Approvals {
		if a.User == u.Username && a.Stage != d.Stage && d.Action == ActionApprove {
			return forbidden("one-stage-per-person", fmt.Sprintf("%s already approved the %s stage of this item; each stage needs another person", u.Username, a.Stage),
				fmt.Sprintf("%s 已审核通过本稿件的 %s 环节，每个环节须由不同人员审核", u.Username, a.Stage))
		}
	}
	if !d.Action.Valid() {
		return invalid("action-value", fmt.Sprintf("unknown action %q", d.Action), fmt.Sprintf("未知的操作 %q", d.Action))
	}
	fails := 0
	for _, c := range Checks {
		r, ok := d.Verdicts[c]
		if !ok || !r.Verdict.Valid() {
			choices, choicesZH := "pass or fail", "合格或不合格"
			if c == CheckSecrecy {
				choices, choicesZH = "pass, fail or unsure", "合格、不合格或不确定"
			}
			return invalid("five-checks", fmt.Sprintf("the %s check needs a verdict (%s)", c, choices),
				fmt.Sprintf("%s 须给出结论（%s）", checkZH[c], choicesZH))
		}
		if r.Verdict == VerdictUnsure && c != CheckSecrecy {
			return invalid("unsure-only-secrecy", fmt.Sprintf("only the secrecy check may be unsure, not %s", c),
				fmt.Sprintf("只有保密关可以选择“不确定”，%s 不可以", checkZH[c]))
		}
		if r.Verdict == VerdictFail {
			fails++
		}
	}
	for c := range d.Verdicts {
		if !c.Valid() {
			return invalid("five-checks", fmt.Sprintf("unknown check %q", c), fmt.Sprintf("未知的审核项 %q", c))
		}
	}
	if d.Disclosure != DisclosureNone && !d.Disclosure.Valid() {
		return invalid("disclosure-value", fmt.Sprintf("unknown disclosure %q", d.Disclosure), fmt.Sprintf("未知的公开属性 %q", d.Disclosure))
	}
	for _, dm := range d.Dismissals {
		if strings.TrimSpace(dm.Reason) == "" {
			return invalid("dismiss-reason", "a secrecy finding can only be dismissed with a reason", "排除保密提示必须说明理由")
		}
		if !slices.ContainsFunc(it.SecrecyFindings, func(f SecrecyFinding) bool { return f.Key == dm.Finding }) {
			return invalid("dismiss-unknown", fmt.Sprintf("no secrecy finding %q on this item", dm.Finding),
				fmt.Sprintf("本稿件没有保密提示 %q", dm.Finding))
		}
	}
	switch d.Action {
	case ActionApprove:
		if fails > 0 {
			return invalid("approve-all-pass", "approve needs all five checks to pass", "通过须五关全部合格")
		}
		if d.Verdicts[CheckSecrecy].Verdict == VerdictUnsure && d.Stage != StageFirst && d.Stage != StageSecond {
			return invalid("unsure-before-secrecy", "secrecy may be unsure only at the first and second stages, to route the item to the secrecy officer",
				"只有初审和复审可将保密关标为“不确定”以送保密审查")
		}
		if d.Stage == StageFirst && !d.Disclosure.Valid() {
			return invalid("disclosure-required", "the first review must state the disclosure (proactive, on_request or withheld)",
				"初审通过须明确公开属性（主动公开、依申请公开或不予公开）")
		}
		if d.Stage != StageFirst && d.Disclosure != DisclosureNone && d.Disclosure != it.Disclosure {
			return invalid("disclosure-first-stage", "the disclosure is decided at the first stage; return the item to change it",
				"公开属性在初审确定；如需修改请退回")
		}
	case ActionReturn, ActionReject:
		if fails == 0 {
			return invalid("fail-required", fmt.Sprintf("%s needs at least one check marked fail", d.Action), "退回或不予发布须至少一项不合格")
		}
		if strings.TrimSpace(d.Reason) == "" {
			return invalid("reason-required", fmt.Sprintf("%s needs a written reason", d.Action), "退回或不予发布须写明理由")
		}
	}
	return nil
}

// Publish marks an approved item published. Only the office publishes, and
// only the exact version the final sign-off named (先审查、后发布); withheld
// items are never published.
func Publish(it Item, u User, now time.Time) (Item, []Event, error) {
	if !u.Has(RoleOffice) {
		return Item{}, nil, forbidden("office-role", "only the office publishes", "只有办公室可以发布")
	}
	if it.Status != StatusApproved {
		return Item{}, nil, conflict("publish-not-approved", fmt.Sprintf("the item is %s, not approved", it.Status),
			fmt.Sprintf("稿件状态为 %s，未经签发", it.Status))
	}
	cur, _ := it.Current()
	signOff, ok := it.FinalSignOff()
	if !ok || signOff.SHA256 != cur.SHA256 || signOff.Version != cur.Number {
		return Item{}, nil, conflict("publish-hash", "the final sign-off does not name the current version's hash",
			"终审签发的版本与当前版本不一致")
	}
	if it.Disclosure == DisclosureWithheld {
		return Item{}, nil, conflict("publish-withheld", "withheld items are never published", "不予公开的稿件不得发布")
	}
	it = it.clone()
	it.Status, it.UpdatedAt = StatusPublished, now
	t := now
	it.PublishedAt = &t
	return it, []Event{{At: now, Actor: u.Username, Kind: EventPublished, Stage: StageFinal, Version: cur.Number, SHA256: cur.SHA256}}, nil
}

// AllowedActions returns the actions u may take on it now, whatever the
// verdicts: the UI enables its buttons from this and CheckDecision.
func AllowedActions(it Item, u User) []Action {
	cur, _ := it.Current()
	var out []Action
	for _, a := range []Action{ActionApprove, ActionReturn, ActionReject} {
		d := Decision{Stage: it.Stage, Version: cur.Number, SHA256: cur.SHA256, Action: a, Verdicts: Verdicts{}, Reason: "x", Disclosure: DisclosureProactive}
		if it.Stage != StageFirst {
			d.Disclosure = DisclosureNone
		}
		for _, c := range Checks {
			d.Verdicts[c] = CheckResult{Verdict: VerdictPass}
		}
		if a != ActionApprove {
			d.Verdicts[CheckText] = CheckResult{Verdict: VerdictFail}
		}
		if CheckDecision(it, u, d) == nil {
			out = append(out, a)
		}
	}
	return out
}

var checkZH = map[Check]string{
	CheckPolitical: "政治关", CheckLegal: "法律关", CheckPolicy: "政策关", CheckSecrecy: "保密关", CheckText: "文字关",
}

// CheckNameZH returns the Chinese name of a check (政治关…).
func CheckNameZH(c Check) string { return checkZH[c] }

func systemEvent(now time.Time, kind EventKind, it Item, detail string) Event {
	cur, _ := it.Current()
	return Event{At: now, Actor: SystemActor, System: true, Kind: kind, Stage: it.Stage, Version: cur.Number, SHA256: cur.SHA256, Detail: detail}
}

func routeSummary(routes []SecrecyRoute) string {
	parts := make([]string, 0, len(routes))
	for _, r := range routes {
		s := r.Reason
		if r.Detail != "" {
			s += ": " + r.Detail
		}
		if r.By != "" {
			s += " (" + r.By + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func decisionDetail(d Decision) string {
	var b strings.Builder
	b.WriteString(string(d.Action))
	for _, c := range Checks {
		r := d.Verdicts[c]
		fmt.Fprintf(&b, " %s=%s", c, r.Verdict)
	}
	if d.Disclosure != DisclosureNone {
		fmt.Fprintf(&b, " disclosure=%s", d.Disclosure)
	}
	if d.Reason != "" {
		fmt.Fprintf(&b, " reason=%q", d.Reason)
	}
	return b.String()
}

func cloneVerdicts(v Verdicts) Verdicts {
	out := make(Verdicts, len(v))
	for k, r := range v {
		out[k] = r
	}
	return out
}

func (it Item) clone() Item {
	it.Versions = slices.Clone(it.Versions)
	it.Approvals = slices.Clone(it.Approvals)
	it.SecrecyFindings = slices.Clone(it.SecrecyFindings)
	it.Unsure = slices.Clone(it.Unsure)
	return it
}
