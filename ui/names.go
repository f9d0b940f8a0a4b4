package ui

import (
	"strings"

	"sanshen/client"
	"sanshen/review"
)

// The words of the domain as the screens say them.

func stageText(s review.Stage) string {
	switch s {
	case review.StageFirst:
		return tr("stage.first", "First review")
	case review.StageSecond:
		return tr("stage.second", "Second review")
	case review.StageSecrecy:
		return tr("stage.secrecy", "Secrecy review")
	case review.StageFinal:
		return tr("stage.final", "Final sign-off")
	}
	return string(s)
}

func checkText(c review.Check) string {
	switch c {
	case review.CheckPolitical:
		return tr("check.political", "Political")
	case review.CheckLegal:
		return tr("check.legal", "Legal")
	case review.CheckPolicy:
		return tr("check.policy", "Policy")
	case review.CheckSecrecy:
		return tr("check.secrecy", "Secrecy")
	case review.CheckText:
		return tr("check.text", "Text")
	}
	return string(c)
}

func verdictText(v review.Verdict) string {
	switch v {
	case review.VerdictPass:
		return tr("verdict.pass", "Pass")
	case review.VerdictFail:
		return tr("verdict.fail", "Fail")
	case review.VerdictUnsure:
		return tr("verdict.unsure", "Unsure")
	}
	return tr("verdict.none", "Not set")
}

func disclosureText(d review.Disclosure) string {
	switch d {
	case review.DisclosureProactive:
		return tr("disclosure.proactive", "Proactive disclosure")
	case review.DisclosureOnRequest:
		return tr("disclosure.on_request", "Disclosure on request")
	case review.DisclosureWithheld:
		return tr("disclosure.withheld", "Not disclosed")
	}
	return tr("disclosure.none", "Not stated")
}

// actionText names an action; at the final stage approving is signing off.
func actionText(a review.Action, s review.Stage) string {
	switch a {
	case review.ActionApprove:
		if s == review.StageFinal {
			return tr("action.signoff", "Sign off")
		}
		return tr("action.approve", "Approve")
	case review.ActionReturn:
		return tr("action.return", "Return for changes")
	case review.ActionReject:
		return tr("action.reject", "Do not publish")
	}
	return string(a)
}

func roleText(r review.Role) string {
	switch r {
	case review.RoleSubmitter:
		return tr("role.submitter", "Submitter")
	case review.RoleReviewer:
		return tr("role.reviewer", "Reviewer")
	case review.RoleHead:
		return tr("role.head", "Head")
	case review.RoleSecrecyOfficer:
		return tr("role.secrecy_officer", "Secrecy officer")
	case review.RoleLeader:
		return tr("role.leader", "Leader")
	case review.RoleOffice:
		return tr("role.office", "Office")
	}
	return string(r)
}

func rolesText(rs []review.Role) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = roleText(r)
	}
	return strings.Join(parts, "、")
}

func statusText(s review.Status) string {
	switch s {
	case review.StatusInReview:
		return tr("status.in_review", "In review")
	case review.StatusReturned:
		return tr("status.returned", "Returned")
	case review.StatusRejected:
		return tr("status.rejected", "Not to be published")
	case review.StatusApproved:
		return tr("status.approved", "Approved")
	case review.StatusPublished:
		return tr("status.published", "Published")
	}
	return string(s)
}

func eventText(k review.EventKind) string {
	switch k {
	case review.EventSubmitted:
		return tr("event.submitted", "Submitted")
	case review.EventResubmitted:
		return tr("event.resubmitted", "Resubmitted")
	case review.EventProofread:
		return tr("event.proofread", "Proofread")
	case review.EventApproved:
		return tr("event.approved", "Approved")
	case review.EventSignedOff:
		return tr("event.signed_off", "Signed off")
	case review.EventReturned:
		return tr("event.returned", "Returned")
	case review.EventRejected:
		return tr("event.rejected", "Not to be published")
	case review.EventFindingDismissed:
		return tr("event.finding_dismissed", "Hint dismissed")
	case review.EventStageEntered:
		return tr("event.stage_entered", "Entered stage")
	case review.EventSecrecyRouted:
		return tr("event.secrecy_routed", "Sent to secrecy review")
	case review.EventPublished:
		return tr("event.published", "Published")
	}
	return string(k)
}

func routeText(r review.SecrecyRoute) string {
	var s string
	switch r.Reason {
	case review.RouteRepost:
		s = tr("route.repost", "Repost from another site")
	case review.RouteUnsure:
		s = tr("route.unsure", "A reviewer was unsure about secrecy")
	case review.RouteFinding:
		s = tr("route.finding", "Secrecy hint not dismissed")
	default:
		s = r.Reason
	}
	if r.By != "" {
		s += " (" + r.By + ")"
	}
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

func outboxText(st client.OutboxState) string {
	switch st {
	case client.OutboxPending:
		return tr("outbox.pending", "Queued, not yet sent")
	case client.OutboxSent:
		return tr("outbox.sent", "Sent")
	case client.OutboxConflict:
		return tr("outbox.conflict", "Conflict: the item changed, decide again")
	case client.OutboxRejected:
		return tr("outbox.rejected", "Refused by the server")
	}
	return ""
}

func severityText(s string) string {
	switch s {
	case "error":
		return tr("severity.error", "Error")
	case "warning":
		return tr("severity.warning", "Warning")
	}
	return tr("severity.info", "Note")
}
