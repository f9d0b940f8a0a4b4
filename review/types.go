// Package review holds Sanshen's domain: the words of the three-review
// discipline (items, versions, stages, the five checks, decisions) and the
// workflow rules as pure functions.
//
// Nothing here does I/O or knows about a user interface or the network: the
// server calls these functions to decide whether an act is allowed and what it
// changes, and the client calls the same functions to show which acts are
// possible. The server is the one that enforces them.
package review

import (
	"slices"
	"time"
)

// Stage is a review stage (审核环节). Stages run first → second → [secrecy] → final.
type Stage string

// The review stages in order. StageSecrecy is only visited when required.
const (
	StageFirst   Stage = "first"   // 初审
	StageSecrecy Stage = "secrecy" // 保密审查
	StageSecond  Stage = "second"  // 复审
	StageFinal   Stage = "final"   // 终审/签发
)

// Stages lists every stage in workflow order.
var Stages = []Stage{StageFirst, StageSecond, StageSecrecy, StageFinal}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return slices.Contains(Stages, s) }

// order returns the position of s in the workflow, or -1.
func (s Stage) order() int { return slices.Index(Stages, s) }

// Check is one of the five checks (五关).
type Check string

// The five checks.
const (
	CheckPolitical Check = "political" // 政治关
	CheckLegal     Check = "legal"     // 法律关
	CheckPolicy    Check = "policy"    // 政策关
	CheckSecrecy   Check = "secrecy"   // 保密关
	CheckText      Check = "text"      // 文字关
)

// Checks lists the five checks in their customary order.
var Checks = []Check{CheckPolitical, CheckLegal, CheckPolicy, CheckSecrecy, CheckText}

// Valid reports whether c is one of the five checks.
func (c Check) Valid() bool { return slices.Contains(Checks, c) }

// Verdict is a reviewer's conclusion on one check.
type Verdict string

// Verdicts. Only the secrecy check may be VerdictUnsure; it routes the item to
// the secrecy officer.
const (
	VerdictPass   Verdict = "pass"
	VerdictFail   Verdict = "fail"
	VerdictUnsure Verdict = "unsure"
)

// Valid reports whether v is a known verdict.
func (v Verdict) Valid() bool { return v == VerdictPass || v == VerdictFail || v == VerdictUnsure }

// CheckResult is the verdict on one check with the reviewer's comment.
type CheckResult struct {
	Verdict Verdict `json:"verdict"`
	Comment string  `json:"comment,omitempty"`
}

// Verdicts maps each of the five checks to its result.
type Verdicts map[Check]CheckResult

// Action is what a decision does.
type Action string

// Decision actions.
const (
	ActionApprove Action = "approve" // 通过 (签发 at the final stage)
	ActionReturn  Action = "return"  // 退回修改
	ActionReject  Action = "reject"  // 不予发布
)

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return a == ActionApprove || a == ActionReturn || a == ActionReject }

// Disclosure is an item's disclosure attribute (公开属性).
type Disclosure string

// Disclosure attributes. Withheld items are never published.
const (
	DisclosureNone      Disclosure = ""
	DisclosureProactive Disclosure = "proactive"  // 主动公开
	DisclosureOnRequest Disclosure = "on_request" // 依申请公开
	DisclosureWithheld  Disclosure = "withheld"   // 不予公开
)

// Valid reports whether d is a stated disclosure attribute.
func (d Disclosure) Valid() bool {
	return d == DisclosureProactive || d == DisclosureOnRequest || d == DisclosureWithheld
}

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleSubmitter      Role = "submitter"       // drafts and resubmits
	RoleReviewer       Role = "reviewer"        // first review
	RoleHead           Role = "head"            // second review
	RoleSecrecyOfficer Role = "secrecy_officer" // secrecy review
	RoleLeader         Role = "leader"          // final sign-off
	RoleOffice         Role = "office"          // oversight, publishing, users
)

// Roles lists every role.
var Roles = []Role{RoleSubmitter, RoleReviewer, RoleHead, RoleSecrecyOfficer, RoleLeader, RoleOffice}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// stageRole is the role that acts at each stage.
var stageRole = map[Stage]Role{
	StageFirst:   RoleReviewer,
	StageSecond:  RoleHead,
	StageSecrecy: RoleSecrecyOfficer,
	StageFinal:   RoleLeader,
}

// RoleFor returns the role that decides at stage s.
func RoleFor(s Stage) Role { return stageRole[s] }

// Status is where an item stands as a whole.
type Status string

// Item statuses.
const (
	StatusInReview  Status = "in_review"
	StatusReturned  Status = "returned"
	StatusRejected  Status = "rejected"
	StatusApproved  Status = "approved"
	StatusPublished Status = "published"
)

// VersionKind says who made a version and why.
type VersionKind string

// Version kinds.
const (
	KindSubmission VersionKind = "submission" // by the submitter, first or after a return
	KindProofread  VersionKind = "proofread"  // a reviewer's own corrections (校对)
)

// Content types a version body may have.
const (
	ContentPlain = "text/plain"
	ContentHTML  = "text/html"
)

// User is an account with its roles.
type User struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Roles       []Role `json:"roles"`
	Department  string `json:"department"`
}

// Has reports whether u holds role r.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// CanActAt reports whether u holds the role that decides at stage s.
func (u User) CanActAt(s Stage) bool {
	r, ok := stageRole[s]
	return ok && u.Has(r)
}

// Version is the immutable content of an item, identified by the SHA-256 of
// its canonical body (see Canonical).
type Version struct {
	Number      int         `json:"number"`
	SHA256      string      `json:"sha256"`
	Kind        VersionKind `json:"kind"`
	Author      string      `json:"author"`
	CreatedAt   time.Time   `json:"created_at"`
	ContentType string      `json:"content_type,omitempty"`
}

// Approval records that a stage approved a version.
type Approval struct {
	Stage    Stage     `json:"stage"`
	Version  int       `json:"version"`
	SHA256   string    `json:"sha256"`
	User     string    `json:"user"`
	At       time.Time `json:"at"`
	Verdicts Verdicts  `json:"verdicts"`
}

// SecrecyFinding is an automated secrecy hint on the current version that the
// workflow must take into account (DESIGN §2.1). Key identifies it across
// versions (rule and matched text), so a dismissal survives a proofread that
// does not touch the matched text.
type SecrecyFinding struct {
	Key           string `json:"key"`
	Rule          string `json:"rule"`
	Excerpt       string `json:"excerpt"`
	DismissedBy   string `json:"dismissed_by,omitempty"`
	DismissReason string `json:"dismiss_reason,omitempty"`
}

// Open reports whether the finding still counts (it was not dismissed with a reason).
func (f SecrecyFinding) Open() bool { return f.DismissReason == "" }

// Routing reasons: why an item must pass the secrecy stage.
const (
	RouteRepost  = "repost"  // the item is a repost from another site (转载)
	RouteUnsure  = "unsure"  // a reviewer marked the secrecy check unsure
	RouteFinding = "finding" // a secrecy finding is open
)

// SecrecyRoute is one reason why the secrecy stage is required.
type SecrecyRoute struct {
	Reason string `json:"reason"` // RouteRepost, RouteUnsure or RouteFinding
	By     string `json:"by,omitempty"`
	Stage  Stage  `json:"stage,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Item is one piece of content on its way to the portal, with what the
// workflow needs to know about it. Bodies are not part of it: versions are
// identified by their hashes.
type Item struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Column     string     `json:"column"`
	Department string     `json:"department"`
	Submitter  string     `json:"submitter"`
	Stage      Stage      `json:"stage"`
	Status     Status     `json:"status"`
	Disclosure Disclosure `json:"disclosure"` // as decided at the first stage
	// ProposedDisclosure is the submitter's proposal, only a proposal.
	ProposedDisclosure Disclosure       `json:"proposed_disclosure,omitempty"`
	RepostFrom         string           `json:"repost_from,omitempty"`
	Versions           []Version        `json:"versions"`
	Approvals          []Approval       `json:"approvals"` // of the current review round
	SecrecyFindings    []SecrecyFinding `json:"secrecy_findings,omitempty"`
	// Unsure records reviewers who marked secrecy unsure in this round.
	Unsure      []SecrecyRoute `json:"unsure,omitempty"`
	UpdatedAt   time.Time      `json:"updated_at"`
	PublishedAt *time.Time     `json:"published_at,omitempty"`
}

// Current returns the current (latest) version. ok is false when there is none.
func (it Item) Current() (v Version, ok bool) {
	if len(it.Versions) == 0 {
		return Version{}, false
	}
	return it.Versions[len(it.Versions)-1], true
}

// SecrecyRoutes returns every reason why the secrecy stage is required in the
// current round; an empty result means it is not required.
func (it Item) SecrecyRoutes() []SecrecyRoute {
	var routes []SecrecyRoute
	if it.RepostFrom != "" {
		routes = append(routes, SecrecyRoute{Reason: RouteRepost, Detail: it.RepostFrom})
	}
	routes = append(routes, it.Unsure...)
	for _, f := range it.SecrecyFindings {
		if f.Open() {
			routes = append(routes, SecrecyRoute{Reason: RouteFinding, Detail: f.Rule + ": " + f.Excerpt})
		}
	}
	return routes
}

// SecrecyRequired reports whether the item must pass the secrecy stage.
func (it Item) SecrecyRequired() bool { return len(it.SecrecyRoutes()) > 0 }

// approvalAt returns the approval of stage s in the current round, if any.
func (it Item) approvalAt(s Stage) (Approval, bool) {
	for i := len(it.Approvals) - 1; i >= 0; i-- {
		if it.Approvals[i].Stage == s {
			return it.Approvals[i], true
		}
	}
	return Approval{}, false
}

// FinalSignOff returns the leader's sign-off of the current round, if any.
func (it Item) FinalSignOff() (Approval, bool) { return it.approvalAt(StageFinal) }

// Dismissal dismisses a secrecy finding, with the reason why it is not a secret.
type Dismissal struct {
	Finding string `json:"finding"` // SecrecyFinding.Key
	Reason  string `json:"reason"`
}

// Decision is one reviewer's act on one version at one stage.
type Decision struct {
	ID         string      `json:"id"` // client-made UUID, the idempotency key
	Stage      Stage       `json:"stage"`
	Version    int         `json:"version"`
	SHA256     string      `json:"sha256"`
	Action     Action      `json:"action"`
	Verdicts   Verdicts    `json:"verdicts"`
	Disclosure Disclosure  `json:"disclosure,omitempty"`
	Reason     string      `json:"reason,omitempty"`
	Dismissals []Dismissal `json:"dismissals,omitempty"`
}

// EventKind names what an audit event records.
type EventKind string

// Audit event kinds.
const (
	EventSubmitted        EventKind = "submitted"
	EventResubmitted      EventKind = "resubmitted"
	EventProofread        EventKind = "proofread"
	EventApproved         EventKind = "approved"   // a stage approved
	EventSignedOff        EventKind = "signed_off" // the final stage approved
	EventReturned         EventKind = "returned"
	EventRejected         EventKind = "rejected"
	EventFindingDismissed EventKind = "finding_dismissed"
	EventStageEntered     EventKind = "stage_entered"  // system
	EventSecrecyRouted    EventKind = "secrecy_routed" // system
	EventPublished        EventKind = "published"
)

// SystemActor is the actor of events the software makes on its own.
const SystemActor = "system"

// Event is one append-only audit record. Seq is assigned by storage.
type Event struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	System  bool      `json:"system"`
	Kind    EventKind `json:"kind"`
	Stage   Stage     `json:"stage,omitempty"`
	Version int       `json:"version,omitempty"`
	SHA256  string    `json:"sha256,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}
