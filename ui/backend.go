package ui

import (
	"context"

	"sanshen/client"
	"sanshen/review"
)

// Backend is what the screens need from a signed-in session. *client.Session
// satisfies it; reads come from the local cache and never wait for the network.
type Backend interface {
	User() review.User
	Server() string
	Queue(ctx context.Context) ([]client.QueueEntry, error)
	Item(ctx context.Context, id string) (client.ItemDetail, error)
	FetchItem(ctx context.Context, id string) (client.ItemDetail, error)
	Body(ctx context.Context, itemID string, n int) (client.VersionBody, error)
	Decide(ctx context.Context, itemID string, d review.Decision) (client.OutboxEntry, error)
	SaveDraft(ctx context.Context, d client.Draft) error
	Draft(ctx context.Context, itemID string, version int) (client.Draft, bool, error)
	SyncNow()
	Subscribe(fn func(client.SyncState)) (cancel func())
}

// Finding is an automated pre-check hint as the screens show it: anchored to
// a rune range [Start, End) of the text the reviewer reads.
type Finding struct {
	Check      review.Check
	Rule       string
	Severity   string // error, warning or info
	Start, End int
	Message    string // in the UI's language
	Suggestion string
}

// Prechecker runs the offline pre-checks on a version body. Text is what the
// reviewer reads: the body itself, or for HTML its paragraphs and links with
// scripts and styles dropped (never run). Findings refer to runes of Text.
type Prechecker interface {
	Check(body, contentType string) (text string, findings []Finding)
}

// LinkChecker checks the links of a body over the network and reports dead
// ones as findings (anchored like Prechecker's). It returns at once and calls
// done later, from any goroutine.
type LinkChecker interface {
	DeadLinks(ctx context.Context, body, contentType string, done func([]Finding))
}

// Demo describes the demo mode: the server runs in-process and the reviewer
// may switch between the demo accounts to see every role.
type Demo struct {
	Users  []DemoUser                                                  // in picker order
	Switch func(ctx context.Context, username string) (Backend, error) // signs in as another demo user
}

// DemoUser is a demo account and the role it shows.
type DemoUser struct {
	Username string
	Role     review.Role
}
