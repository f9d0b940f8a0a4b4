package review

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

var (
	submitter  = User{Username: "sub", Roles: []Role{RoleSubmitter}, Department: "宣传处"}
	submitter2 = User{Username: "sub2", Roles: []Role{RoleSubmitter}, Department: "宣传处"}
	outsider   = User{Username: "sub3", Roles: []Role{RoleSubmitter}, Department: "法规处"}
	reviewer   = User{Username: "rev", Roles: []Role{RoleReviewer}}
	reviewer2  = User{Username: "rev2", Roles: []Role{RoleReviewer}}
	head       = User{Username: "head", Roles: []Role{RoleHead}}
	officer    = User{Username: "sec", Roles: []Role{RoleSecrecyOfficer}}
	leader     = User{Username: "lead", Roles: []Role{RoleLeader}}
	office     = User{Username: "off", Roles: []Role{RoleOffice}}
	// allRoles holds every reviewing role: the one-stage-per-person rule must stop them.
	allRoles = User{Username: "all", Roles: []Role{RoleReviewer, RoleHead, RoleSecrecyOfficer, RoleLeader}}
)

func sha(s string) string { return HashCanonical(s) }

func newItem(t *testing.T, repost string, findings ...SecrecyFinding) Item {
	t.Helper()
	it, evs, err := Submit(submitter, Draft{ID: "i1", Title: "关于开展城市环境整治的通知", Column: "通知公告", RepostFrom: repost,
		Version: NewVersion{SHA256: sha("v1"), ContentType: ContentPlain, SecrecyFindings: findings}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != EventSubmitted || !evs[1].System {
		t.Fatalf("submit events: %+v", evs)
	}
	return it
}

func allPass() Verdicts {
	v := Verdicts{}
	for _, c := range Checks {
		v[c] = CheckResult{Verdict: VerdictPass}
	}
	return v
}

func with(v Verdicts, c Check, verdict Verdict) Verdicts {
	out := cloneVerdicts(v)
	out[c] = CheckResult{Verdict: verdict, Comment: "意见"}
	return out
}

func approve(it Item) Decision {
	cur, _ := it.Current()
	d := Decision{ID: "d", Stage: it.Stage, Version: cur.Number, SHA256: cur.SHA256, Action: ActionApprove, Verdicts: allPass()}
	if it.Stage == StageFirst {
		d.Disclosure = DisclosureProactive
	}
	return d
}

func mustDecide(t *testing.T, it Item, u User, d Decision) Item {
	t.Helper()
	out, _, err := Decide(it, u, d, t0.Add(time.Minute))
	if err != nil {
		t.Fatalf("%s %s at %s: %v", u.Username, d.Action, d.Stage, err)
	}
	return out
}

// walk approves the item at every stage with the stage's user.
func walk(t *testing.T, it Item) Item {
	t.Helper()
	users := map[Stage]User{StageFirst: reviewer, StageSecond: head, StageSecrecy: officer, StageFinal: leader}
	for it.Status == StatusInReview {
		it = mustDecide(t, it, users[it.Stage], approve(it))
	}
	return it
}

func wantKind(t *testing.T, err error, kind ErrorKind, rule string) {
	t.Helper()
	re, ok := AsRuleError(err)
	if !ok {
		t.Fatalf("want %s error %q, got %v", kind, rule, err)
	}
	if re.Kind != kind || re.Rule != rule {
		t.Fatalf("want %s/%s, got %s/%s: %v", kind, rule, re.Kind, re.Rule, err)
	}
	if re.Message == "" || re.MessageZH == "" {
		t.Fatalf("rule error without messages: %#v", re)
	}
}

// Rule 1: stages run first → second → [secrecy] → final; secrecy only when required.
func TestRule1StageOrder(t *testing.T) {
	cases := []struct {
		name    string
		repost  string
		finding []SecrecyFinding
		unsure  bool
		want    []Stage
	}{
		{"plain", "", nil, false, []Stage{StageFirst, StageSecond, StageFinal}},
		{"repost", "www.gov.cn", nil, false, []Stage{StageFirst, StageSecond, StageSecrecy, StageFinal}},
		{"finding", "", []SecrecyFinding{{Key: "k", Rule: "secrecy.marker", Excerpt: "机密★"}}, false, []Stage{StageFirst, StageSecond, StageSecrecy, StageFinal}},
		{"dismissed finding", "", []SecrecyFinding{{Key: "k", Rule: "secrecy.marker", Excerpt: "机密", DismissReason: "引用公开法规名称", DismissedBy: "rev"}}, false, []Stage{StageFirst, StageSecond, StageFinal}},
		{"unsure", "", nil, true, []Stage{StageFirst, StageSecond, StageSecrecy, StageFinal}},
	}
	users := map[Stage]User{StageFirst: reviewer, StageSecond: head, StageSecrecy: officer, StageFinal: leader}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := newItem(t, c.repost, c.finding...)
			var seen []Stage
			for it.Status == StatusInReview {
				seen = append(seen, it.Stage)
				d := approve(it)
				if c.unsure && it.Stage == StageFirst {
					d.Verdicts = with(d.Verdicts, CheckSecrecy, VerdictUnsure)
				}
				var evs []Event
				var err error
				it, evs, err = Decide(it, users[it.Stage], d, t0)
				if err != nil {
					t.Fatal(err)
				}
				if it.Stage == StageSecrecy && it.Status == StatusInReview {
					if evs[len(evs)-1].Kind != EventSecrecyRouted || !evs[len(evs)-1].System {
						t.Fatalf("routing to secrecy must leave a system event: %+v", evs)
					}
				}
			}
			if strings.Join(stageNames(seen), ",") != strings.Join(stageNames(c.want), ",") {
				t.Fatalf("stages %v, want %v", seen, c.want)
			}
			if it.Status != StatusApproved {
				t.Fatalf("status %s", it.Status)
			}
		})
	}
}

func stageNames(s []Stage) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

// Rule 2: approve needs five passes (secrecy unsure only to route), first-stage
// disclosure in the decision; return and reject need a fail and a reason.
func TestRule2DecisionForm(t *testing.T) {
	it := newItem(t, "")
	atSecond := mustDecide(t, it, reviewer, approve(it))
	routed := mustDecide(t, atSecond, head, func() Decision {
		d := approve(atSecond)
		d.Verdicts = with(d.Verdicts, CheckSecrecy, VerdictUnsure)
		return d
	}())
	if routed.Stage != StageSecrecy {
		t.Fatalf("unsure at second must route to secrecy, got %s", routed.Stage)
	}
	atFinal := mustDecide(t, routed, officer, approve(routed))
	type tc struct {
		name string
		it   Item
		u    User
		mod  func(*Decision)
		rule string // "" means allowed
	}
	cases := []tc{
		{"approve all pass", it, reviewer, func(d *Decision) {}, ""},
		{"approve with a fail", it, reviewer, func(d *Decision) { d.Verdicts = with(d.Verdicts, CheckText, VerdictFail) }, "approve-all-pass"},
		{"approve missing a check", it, reviewer, func(d *Decision) { delete(d.Verdicts, CheckLegal) }, "five-checks"},
		{"unknown check", it, reviewer, func(d *Decision) { d.Verdicts["beauty"] = CheckResult{Verdict: VerdictPass} }, "five-checks"},
		{"bad verdict", it, reviewer, func(d *Decision) { d.Verdicts[CheckText] = CheckResult{Verdict: "maybe"} }, "five-checks"},
		{"unsure on text", it, reviewer, func(d *Decision) { d.Verdicts = with(d.Verdicts, CheckText, VerdictUnsure) }, "unsure-only-secrecy"},
		{"unsure on secrecy at first", it, reviewer, func(d *Decision) { d.Verdicts = with(d.Verdicts, CheckSecrecy, VerdictUnsure) }, ""},
		{"unsure at secrecy stage", routed, officer, func(d *Decision) { d.Verdicts = with(d.Verdicts, CheckSecrecy, VerdictUnsure) }, "unsure-before-secrecy"},
		{"unsure at final", atFinal, leader, func(d *Decision) { d.Verdicts = with(d.Verdicts, CheckSecrecy, VerdictUnsure) }, "unsure-before-secrecy"},
		{"first without disclosure", it, reviewer, func(d *Decision) { d.Disclosure = "" }, "disclosure-required"},
		{"bad disclosure", it, reviewer, func(d *Decision) { d.Disclosure = "secret" }, "disclosure-value"},
		{"second changes disclosure", atSecond, head, func(d *Decision) { d.Disclosure = DisclosureWithheld }, "disclosure-first-stage"},
		{"second restates disclosure", atSecond, head, func(d *Decision) { d.Disclosure = DisclosureProactive }, ""},
		{"return without fail", it, reviewer, func(d *Decision) { d.Action = ActionReturn; d.Reason = "请修改" }, "fail-required"},
		{"return without reason", it, reviewer, func(d *Decision) {
			d.Action = ActionReturn
			d.Verdicts = with(d.Verdicts, CheckText, VerdictFail)
			d.Reason = "  "
		}, "reason-required"},
		{"return ok", it, reviewer, func(d *Decision) {
			d.Action = ActionReturn
			d.Verdicts = with(d.Verdicts, CheckText, VerdictFail)
			d.Reason = "第二段有错别字"
		}, ""},
		{"reject without fail", it, reviewer, func(d *Decision) { d.Action = ActionReject; d.Reason = "不宜发布" }, "fail-required"},
		{"reject without reason", it, reviewer, func(d *Decision) {
			d.Action = ActionReject
			d.Verdicts = with(d.Verdicts, CheckPolitical, VerdictFail)
		}, "reason-required"},
		{"unknown action", it, reviewer, func(d *Decision) { d.Action = "publish" }, "action-value"},
		{"unknown stage", it, reviewer, func(d *Decision) { d.Stage = "fourth" }, "stage-value"},
		{"dismiss without reason", it, reviewer, func(d *Decision) { d.Dismissals = []Dismissal{{Finding: "k"}} }, "dismiss-reason"},
		{"dismiss unknown finding", it, reviewer, func(d *Decision) { d.Dismissals = []Dismissal{{Finding: "nope", Reason: "r"}} }, "dismiss-unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := approve(c.it)
			c.mod(&d)
			_, _, err := Decide(c.it, c.u, d, t0)
			if c.rule == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			wantKind(t, err, KindInvalid, c.rule)
		})
	}
}

// A missing verdict's message offers the choices that check has: unsure only
// for secrecy.
func TestMissingVerdictMessage(t *testing.T) {
	it := newItem(t, "")
	for _, c := range Checks {
		d := approve(it)
		delete(d.Verdicts, c)
		_, _, err := Decide(it, reviewer, d, t0)
		var re *RuleError
		if !errors.As(err, &re) || re.Rule != "five-checks" {
			t.Fatalf("%s missing: %v", c, err)
		}
		offersUnsure := strings.Contains(re.Message, "unsure") && strings.Contains(re.MessageZH, "不确定")
		if offersUnsure != (c == CheckSecrecy) {
			t.Errorf("%s missing: %q / %q", c, re.Message, re.MessageZH)
		}
	}
}

// Rule 2 (withheld): a withheld item can be approved but is never published.
func TestRule2WithheldNeverPublished(t *testing.T) {
	it := newItem(t, "")
	d := approve(it)
	d.Disclosure = DisclosureWithheld
	it = mustDecide(t, it, reviewer, d)
	it = walk(t, it)
	_, _, err := Publish(it, office, t0)
	wantKind(t, err, KindConflict, "publish-withheld")
}

// Rule 3: decisions name the current version and hash and the current stage;
// publishing needs a sign-off naming the exact hash.
func TestRule3CurrentVersionAndHash(t *testing.T) {
	it := newItem(t, "")
	atSecond := mustDecide(t, it, reviewer, approve(it))
	proofed, evs, err := Proofread(atSecond, head, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	if err != nil || len(evs) != 1 || evs[0].Kind != EventProofread {
		t.Fatalf("proofread: %v %+v", err, evs)
	}
	cases := []struct {
		name string
		it   Item
		u    User
		mod  func(*Decision)
		rule string
	}{
		{"old version", proofed, head, func(d *Decision) { d.Version, d.SHA256 = 1, sha("v1") }, "stale-version"},
		{"right number wrong hash", proofed, head, func(d *Decision) { d.SHA256 = sha("other") }, "stale-version"},
		{"stage already passed", atSecond, reviewer, func(d *Decision) { d.Stage = StageFirst }, "stale-stage"},
		{"current", proofed, head, func(d *Decision) {}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := approve(c.it)
			c.mod(&d)
			_, _, err := Decide(c.it, c.u, d, t0)
			if c.rule == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, KindConflict, c.rule)
		})
	}
	t.Run("publish", func(t *testing.T) {
		_, _, err := Publish(proofed, office, t0)
		wantKind(t, err, KindConflict, "publish-not-approved")
		done := walk(t, proofed)
		pub, evs, err := Publish(done, office, t0)
		if err != nil || pub.Status != StatusPublished || pub.PublishedAt == nil || evs[0].SHA256 != sha("v2") {
			t.Fatalf("publish: %v %+v", err, pub)
		}
		tampered := done.clone()
		tampered.Approvals[len(tampered.Approvals)-1].SHA256 = sha("v1")
		_, _, err = Publish(tampered, office, t0)
		wantKind(t, err, KindConflict, "publish-hash")
		_, _, err = Publish(pub, office, t0)
		wantKind(t, err, KindConflict, "publish-not-approved")
		_, _, err = Publish(done, leader, t0)
		wantKind(t, err, KindForbidden, "office-role")
	})
}

// Rule 4: a resubmission restarts at the first stage; a proofread keeps approvals.
func TestRule4ResubmitAndProofread(t *testing.T) {
	it := newItem(t, "")
	atSecond := mustDecide(t, it, reviewer, approve(it))
	d := approve(atSecond)
	d.Action, d.Reason = ActionReturn, "数据有误"
	d.Verdicts = with(d.Verdicts, CheckPolicy, VerdictFail)
	returned := mustDecide(t, atSecond, head, d)
	if returned.Status != StatusReturned {
		t.Fatalf("status %s", returned.Status)
	}
	_, _, err := Decide(returned, head, approve(returned), t0)
	wantKind(t, err, KindConflict, "not-in-review")

	_, _, err = Resubmit(atSecond, submitter, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	wantKind(t, err, KindConflict, "resubmit-status")
	_, _, err = Resubmit(returned, outsider, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	wantKind(t, err, KindForbidden, "resubmit-owner")
	_, _, err = Resubmit(returned, submitter, NewVersion{SHA256: "short", ContentType: ContentPlain}, t0)
	wantKind(t, err, KindInvalid, "version-hash")
	_, _, err = Resubmit(returned, submitter, NewVersion{SHA256: sha("v2"), ContentType: "application/pdf"}, t0)
	wantKind(t, err, KindInvalid, "content-type")
	re, _, err := Resubmit(returned, submitter2, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if re.Stage != StageFirst || re.Status != StatusInReview || len(re.Approvals) != 0 || re.Disclosure != "" || len(re.Versions) != 2 {
		t.Fatalf("resubmitted: %+v", re)
	}

	// Proofread keeps approvals and stage.
	pr, _, err := Proofread(atSecond, head, NewVersion{SHA256: sha("v2"), ContentType: ContentHTML}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Stage != StageSecond || len(pr.Approvals) != 1 || pr.Versions[1].Kind != KindProofread || pr.Versions[1].Author != "head" {
		t.Fatalf("proofread: %+v", pr)
	}
	_, _, err = Proofread(atSecond, reviewer, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	wantKind(t, err, KindForbidden, "stage-role")
	_, _, err = Proofread(returned, head, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain}, t0)
	wantKind(t, err, KindConflict, "not-in-review")
	_, _, err = Proofread(atSecond, head, NewVersion{SHA256: sha("v2"), ContentType: "x"}, t0)
	wantKind(t, err, KindInvalid, "content-type")
}

// Rule 4 and 2.1 together: a proofread after the secrecy stage that raises a
// secrecy finding sends the item back to the secrecy officer; a dismissal
// survives a proofread that keeps the text.
func TestProofreadReroutesToSecrecy(t *testing.T) {
	it := newItem(t, "")
	it = mustDecide(t, it, reviewer, approve(it))
	it = mustDecide(t, it, head, approve(it))
	if it.Stage != StageFinal {
		t.Fatalf("stage %s", it.Stage)
	}
	f := SecrecyFinding{Key: "secrecy.id:120101199001011234", Rule: "secrecy.id", Excerpt: "120101199001011234"}
	pr, evs, err := Proofread(it, leader, NewVersion{SHA256: sha("v2"), ContentType: ContentPlain, SecrecyFindings: []SecrecyFinding{f}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Stage != StageSecrecy || evs[len(evs)-1].Kind != EventSecrecyRouted {
		t.Fatalf("want rerouted to secrecy, got %s %+v", pr.Stage, evs)
	}
	pr = mustDecide(t, pr, officer, approve(pr))
	if pr.Stage != StageFinal || pr.SecrecyFindings[0].Open() {
		t.Fatalf("after secrecy approval: %+v", pr)
	}
	// A proofread at final keeping the same finding does not reroute (it was cleared).
	pr2, _, err := Proofread(pr, leader, NewVersion{SHA256: sha("v3"), ContentType: ContentPlain, SecrecyFindings: []SecrecyFinding{f}}, t0)
	if err != nil || pr2.Stage != StageFinal {
		t.Fatalf("cleared finding rerouted: %v %s", err, pr2.Stage)
	}
	// The secrecy officer may review again after a reroute: same stage, same person.
	g := SecrecyFinding{Key: "secrecy.marker:机密", Rule: "secrecy.marker", Excerpt: "机密"}
	pr3, _, err := Proofread(pr2, leader, NewVersion{SHA256: sha("v4"), ContentType: ContentPlain, SecrecyFindings: []SecrecyFinding{f, g}}, t0)
	if err != nil || pr3.Stage != StageSecrecy {
		t.Fatalf("new finding must reroute: %v %s", err, pr3.Stage)
	}
	pr3 = mustDecide(t, pr3, officer, approve(pr3))
	pr3 = mustDecide(t, pr3, leader, approve(pr3))
	if pr3.Status != StatusApproved {
		t.Fatal(pr3.Status)
	}
}

func TestDismissalAvoidsSecrecy(t *testing.T) {
	f := SecrecyFinding{Key: "secrecy.marker:内部资料", Rule: "secrecy.marker", Excerpt: "内部资料"}
	it := newItem(t, "", f)
	if !it.SecrecyRequired() {
		t.Fatal("open finding must require secrecy")
	}
	d := approve(it)
	d.Dismissals = []Dismissal{{Finding: f.Key, Reason: "“内部资料”是书名的一部分"}}
	it2, evs, err := Decide(it, reviewer, d, t0)
	if err != nil {
		t.Fatal(err)
	}
	if it2.SecrecyRequired() || evs[0].Kind != EventFindingDismissed {
		t.Fatalf("dismissal not applied: %+v %+v", it2.SecrecyFindings, evs)
	}
	if it.SecrecyFindings[0].DismissReason != "" {
		t.Fatal("Decide modified its input")
	}
	it2 = mustDecide(t, it2, head, approve(it2))
	if it2.Stage != StageFinal {
		t.Fatalf("stage %s", it2.Stage)
	}
}

// Rule 5: roles checked for every act; nobody reviews their own submission.
func TestRule5Roles(t *testing.T) {
	it := newItem(t, "")
	atFinal := walkTo(t, it, StageFinal)
	selfReviewer := User{Username: "sub", Roles: []Role{RoleSubmitter, RoleReviewer}}
	cases := []struct {
		name string
		it   Item
		u    User
		rule string
	}{
		{"reviewer at first", it, reviewer, ""},
		{"head at first", it, head, "stage-role"},
		{"leader at first", it, leader, "stage-role"},
		{"submitter reviews own", it, selfReviewer, "own-submission"},
		{"reviewer signs off", atFinal, reviewer, "stage-role"},
		{"office signs off", atFinal, office, "stage-role"},
		{"leader signs off", atFinal, leader, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Decide(c.it, c.u, approve(c.it), t0)
			if c.rule == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantKind(t, err, KindForbidden, c.rule)
		})
	}
	t.Run("one person, one stage", func(t *testing.T) {
		x := mustDecide(t, it, allRoles, approve(it))
		_, _, err := Decide(x, allRoles, approve(x), t0)
		wantKind(t, err, KindForbidden, "one-stage-per-person")
		// Returning is still possible for them.
		d := approve(x)
		d.Action, d.Reason = ActionReturn, "r"
		d.Verdicts = with(d.Verdicts, CheckText, VerdictFail)
		if _, _, err := Decide(x, allRoles, d, t0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("submit needs submitter", func(t *testing.T) {
		_, _, err := Submit(reviewer, Draft{Title: "t", Column: "c", Version: NewVersion{SHA256: sha("x"), ContentType: ContentPlain}}, t0)
		wantKind(t, err, KindForbidden, "submitter-role")
		_, _, err = Submit(submitter, Draft{Title: " ", Column: "c", Version: NewVersion{SHA256: sha("x"), ContentType: ContentPlain}}, t0)
		wantKind(t, err, KindInvalid, "title-required")
		_, _, err = Submit(submitter, Draft{Title: "t", Column: "", Version: NewVersion{SHA256: sha("x"), ContentType: ContentPlain}}, t0)
		wantKind(t, err, KindInvalid, "column-required")
		_, _, err = Submit(submitter, Draft{Title: "t", Column: "c", ProposedDisclosure: "x", Version: NewVersion{SHA256: sha("x"), ContentType: ContentPlain}}, t0)
		wantKind(t, err, KindInvalid, "disclosure-value")
		_, _, err = Submit(submitter, Draft{Title: "t", Column: "c", Version: NewVersion{SHA256: sha("x")}}, t0)
		wantKind(t, err, KindInvalid, "content-type")
	})
	t.Run("proofread own", func(t *testing.T) {
		_, _, err := Proofread(it, selfReviewer, NewVersion{SHA256: sha("x"), ContentType: ContentPlain}, t0)
		wantKind(t, err, KindForbidden, "own-submission")
	})
}

func walkTo(t *testing.T, it Item, s Stage) Item {
	t.Helper()
	users := map[Stage]User{StageFirst: reviewer, StageSecond: head, StageSecrecy: officer, StageFinal: leader}
	for it.Stage != s {
		it = mustDecide(t, it, users[it.Stage], approve(it))
	}
	return it
}

// Rule 6: every state change leaves audit events naming who, what, when and the hash.
func TestRule6Events(t *testing.T) {
	it := newItem(t, "www.gov.cn")
	users := map[Stage]User{StageFirst: reviewer, StageSecond: head, StageSecrecy: officer, StageFinal: leader}
	var all []Event
	for it.Status == StatusInReview {
		var evs []Event
		var err error
		cur, _ := it.Current()
		it, evs, err = Decide(it, users[it.Stage], approve(it), t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			t.Fatal("a state change without events")
		}
		for _, e := range evs {
			if e.Actor == "" || e.Kind == "" || e.At.IsZero() || e.SHA256 != cur.SHA256 {
				t.Fatalf("incomplete event %+v", e)
			}
			if e.System != (e.Actor == SystemActor) {
				t.Fatalf("system flag wrong: %+v", e)
			}
		}
		all = append(all, evs...)
	}
	var kinds []string
	for _, e := range all {
		kinds = append(kinds, string(e.Kind))
	}
	want := "approved,stage_entered,approved,secrecy_routed,approved,stage_entered,signed_off"
	if strings.Join(kinds, ",") != want {
		t.Fatalf("events %v, want %s", kinds, want)
	}
	if !strings.Contains(all[3].Detail, "repost") {
		t.Fatalf("routing event must say why: %q", all[3].Detail)
	}
}

func TestErrorsIs(t *testing.T) {
	it := newItem(t, "")
	_, _, err := Decide(it, head, approve(it), t0)
	if !errors.Is(err, ErrForbidden) || errors.Is(err, ErrConflict) {
		t.Fatalf("errors.Is by kind broken: %v", err)
	}
	if !strings.Contains(err.Error(), "stage-role") {
		t.Fatal(err.Error())
	}
	if KindInvalid.String() != "rule" || ErrorKind(0).String() != "unknown" {
		t.Fatal("kind names")
	}
}

func TestAllowedActions(t *testing.T) {
	it := newItem(t, "")
	if got := AllowedActions(it, reviewer); len(got) != 3 {
		t.Fatalf("reviewer at first: %v", got)
	}
	if got := AllowedActions(it, head); len(got) != 0 {
		t.Fatalf("head at first: %v", got)
	}
	atSecond := mustDecide(t, it, reviewer, approve(it))
	if got := AllowedActions(atSecond, head); len(got) != 3 {
		t.Fatalf("head at second: %v", got)
	}
	if CheckNameZH(CheckSecrecy) != "保密关" {
		t.Fatal("check names")
	}
}

func TestValidity(t *testing.T) {
	for _, s := range Stages {
		if !s.Valid() || RoleFor(s) == "" {
			t.Fatal(s)
		}
	}
	for _, r := range Roles {
		if !r.Valid() {
			t.Fatal(r)
		}
	}
	if Stage("x").Valid() || Role("x").Valid() || Check("x").Valid() || Verdict("x").Valid() || Action("x").Valid() || Disclosure("x").Valid() || DisclosureNone.Valid() {
		t.Fatal("invalid values accepted")
	}
	if _, ok := (Item{}).Current(); ok {
		t.Fatal("empty item has a current version")
	}
}
