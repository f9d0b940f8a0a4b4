package review

import (
	"errors"
	"fmt"
)

// ErrorKind classifies a broken rule; the server maps it to an HTTP status.
type ErrorKind int

// Error kinds.
const (
	// KindForbidden: the user may not do this at all (HTTP 403).
	KindForbidden ErrorKind = iota + 1
	// KindConflict: the act names a version, hash or stage that is not
	// current, or the item is not in a state that allows it (HTTP 409).
	KindConflict
	// KindInvalid: the act breaks a workflow rule (HTTP 422).
	KindInvalid
)

func (k ErrorKind) String() string {
	switch k {
	case KindForbidden:
		return "forbidden"
	case KindConflict:
		return "conflict"
	case KindInvalid:
		return "rule"
	}
	return "unknown"
}

// RuleError names the rule an act broke. Rule is a stable identifier such as
// "own-submission"; Message says it in English and MessageZH in Chinese.
type RuleError struct {
	Kind      ErrorKind
	Rule      string
	Message   string
	MessageZH string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("%s (%s): %s", e.Rule, e.Kind, e.Message)
}

// Is makes errors.Is(err, ErrForbidden) and friends match by kind.
func (e *RuleError) Is(target error) bool {
	t, ok := target.(*RuleError)
	return ok && t.Rule == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is: they match any RuleError of their kind.
var (
	ErrForbidden = &RuleError{Kind: KindForbidden}
	ErrConflict  = &RuleError{Kind: KindConflict}
	ErrInvalid   = &RuleError{Kind: KindInvalid}
)

// AsRuleError returns the RuleError inside err, if any.
func AsRuleError(err error) (*RuleError, bool) {
	var re *RuleError
	ok := errors.As(err, &re)
	return re, ok
}

func forbidden(rule, en, zh string) error {
	return &RuleError{Kind: KindForbidden, Rule: rule, Message: en, MessageZH: zh}
}

func conflict(rule, en, zh string) error {
	return &RuleError{Kind: KindConflict, Rule: rule, Message: en, MessageZH: zh}
}

func invalid(rule, en, zh string) error {
	return &RuleError{Kind: KindInvalid, Rule: rule, Message: en, MessageZH: zh}
}
