package server

import (
	"errors"
	"fmt"
	"net/http"

	"sanshen/review"
)

// apiError is an error with the HTTP status and the code the API reports.
// Code is stable (clients switch on it); Message is English, MessageZH Chinese.
type apiError struct {
	Status    int
	Code      string
	Kind      string // forbidden, conflict, rule for rule errors; empty otherwise
	Message   string
	MessageZH string
	// RetryAfter, when set, becomes the Retry-After header (seconds).
	RetryAfter int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newAPIError(status int, code, en, zh string) *apiError {
	return &apiError{Status: status, Code: code, Message: en, MessageZH: zh}
}

// errNotFound is the error for an unknown item, version or other resource.
func errNotFound(what string) *apiError {
	return newAPIError(http.StatusNotFound, "not-found", what+" not found", "未找到"+whatZH(what))
}

func whatZH(what string) string {
	switch what {
	case "item":
		return "稿件"
	case "version":
		return "版本"
	case "user":
		return "用户"
	case "column":
		return "栏目"
	}
	return what
}

// ruleStatus maps the kind of a broken rule to its HTTP status.
func ruleStatus(k review.ErrorKind) int {
	switch k {
	case review.KindForbidden:
		return http.StatusForbidden
	case review.KindConflict:
		return http.StatusConflict
	case review.KindInvalid:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// asAPIError turns any error into what the API reports. Errors that are
// neither an apiError nor a review.RuleError are internal (500); their text
// is logged, not shown.
func asAPIError(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae, true
	}
	if re, ok := review.AsRuleError(err); ok {
		return &apiError{Status: ruleStatus(re.Kind), Code: re.Rule, Kind: re.Kind.String(), Message: re.Message, MessageZH: re.MessageZH}, true
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "internal",
		Message: "internal server error; the request had no effect", MessageZH: "服务器内部错误，本次请求未生效"}, false
}

// errorBody is the JSON of every error: {"error":{"code","message",…}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageZH string `json:"message_zh,omitempty"`
	Kind      string `json:"kind,omitempty"`
}
