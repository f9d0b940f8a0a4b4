package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"sanshen/review"
)

// Sentinel errors. Errors returned by this package match them with errors.Is.
var (
	// ErrUnauthorized: the server does not know the token (HTTP 401): not
	// signed in, signed out elsewhere or the session expired. Sign in again.
	ErrUnauthorized = errors.New("未登录或登录已过期，请重新登录 (not signed in or the session expired: sign in again)")
	// ErrForbidden: the server refused the act for this user (HTTP 403).
	ErrForbidden = errors.New("无权操作 (not allowed)")
	// ErrConflict: the act names a version, hash or stage that is no longer
	// current (HTTP 409).
	ErrConflict = errors.New("稿件已变化 (the item changed)")
	// ErrInvalid: the act breaks a workflow rule (HTTP 422).
	ErrInvalid = errors.New("不符合审核规则 (the act breaks a rule)")
	// ErrNotFound: no such item or version (HTTP 404).
	ErrNotFound = errors.New("未找到 (not found)")
	// ErrUnreachable: the server could not be reached (network error, timeout,
	// or a gateway saying the server is down). The client works offline.
	ErrUnreachable = errors.New("无法连接服务器 (the server cannot be reached)")
	// ErrBadReply: the server's reply could not be understood (not JSON,
	// truncated, wrong types, too large, or a body that does not match its hash).
	ErrBadReply = errors.New("服务器回复无法识别 (the server's reply could not be understood)")
	// ErrNotCached: what was asked for is not in the local cache and the
	// server could not be asked.
	ErrNotCached = errors.New("本地没有缓存，请联网同步 (not in the local cache; sync while online first)")
	// ErrNoSession: no saved sign-in in the config directory.
	ErrNoSession = errors.New("尚未登录 (not signed in: run `sanshen login`)")
	// ErrPendingDecisions: signing out would throw away decisions that were
	// never sent.
	ErrPendingDecisions = errors.New("有尚未发送的审核意见 (decisions are still waiting to be sent)")
	// ErrAlreadyPending: a decision on this item is already waiting in the outbox.
	ErrAlreadyPending = errors.New("该稿件已有待发送的审核意见 (a decision on this item is already waiting to be sent)")
	// ErrCacheTooNew: the cache file was written by a newer Sanshen.
	ErrCacheTooNew = errors.New("本地缓存来自更新版本的三审，请升级 (the local cache was made by a newer version of Sanshen; update Sanshen or sign in with another config directory)")
)

// ServerError is an error reply of the server: {"error":{"code","message"}}
// with its HTTP status. It matches ErrUnauthorized (401), ErrForbidden (403),
// ErrNotFound (404), ErrConflict (409) and ErrInvalid (422) with errors.Is,
// and also review.ErrForbidden, review.ErrConflict and review.ErrInvalid.
type ServerError struct {
	Status    int
	Code      string // the server's stable code, e.g. the rule's name
	Message   string // the server's message as given (may hold Chinese and English)
	MessageZH string // a separate Chinese message when the server sends one
	MessageEN string // a separate English message when the server sends one
}

func (e *ServerError) Error() string {
	msg := e.Text()
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.Code != "" {
		return fmt.Sprintf("server refused (HTTP %d, %s): %s", e.Status, e.Code, msg)
	}
	return fmt.Sprintf("server refused (HTTP %d): %s", e.Status, msg)
}

// Text returns the server's message for a person: the message, and the
// Chinese and English ones when the server sent them apart and they differ.
func (e *ServerError) Text() string {
	parts := []string{}
	for _, m := range []string{e.Message, e.MessageZH, e.MessageEN} {
		m = strings.TrimSpace(m)
		if m != "" && !containsString(parts, m) {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, " / ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s || strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// Is matches the package's sentinels and review's rule sentinels by status.
func (e *ServerError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrInvalid:
		return e.Status == http.StatusUnprocessableEntity
	case ErrUnreachable:
		return e.Status == http.StatusBadGateway || e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout
	}
	if re, ok := target.(*review.RuleError); ok && re.Rule == "" {
		switch re.Kind {
		case review.KindForbidden:
			return e.Status == http.StatusForbidden
		case review.KindConflict:
			return e.Status == http.StatusConflict
		case review.KindInvalid:
			return e.Status == http.StatusUnprocessableEntity
		}
	}
	return false
}

// NetworkError is a failure to talk to the server at all. It matches
// ErrUnreachable.
type NetworkError struct {
	Op  string // what was being done, e.g. "GET /api/v1/queue"
	Err error
}

func (e *NetworkError) Error() string {
	cause := e.Err
	// *url.Error repeats the method and the whole URL; Op says it shorter.
	var ue *url.Error
	if errors.As(cause, &ue) {
		cause = ue.Err
	}
	return fmt.Sprintf("%s (%s: %v)", ErrUnreachable.Error(), e.Op, cause)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnreachable) true.
func (e *NetworkError) Is(target error) bool { return target == ErrUnreachable }

// ReplyError is a reply the client could not understand. It matches ErrBadReply.
type ReplyError struct {
	Op          string
	Status      int
	ContentType string
	Size        int
	Snippet     string // the start of the reply, made printable
	Err         error
}

func (e *ReplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: HTTP %d", e.Op, ErrBadReply.Error(), e.Status)
	if e.ContentType != "" {
		fmt.Fprintf(&b, ", %s", e.ContentType)
	}
	fmt.Fprintf(&b, ", %d bytes: %v", e.Size, e.Err)
	if e.Snippet != "" {
		fmt.Fprintf(&b, "; reply starts %q", e.Snippet)
	}
	return b.String()
}

func (e *ReplyError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrBadReply) true.
func (e *ReplyError) Is(target error) bool { return target == ErrBadReply }

// snippet returns up to n runes of b as printable text for an error message.
func snippet(b []byte, n int) string {
	head := b[:min(len(b), 4*n)]
	if len(head) < len(b) {
		// The cut may split a rune: judge the text before its last rune.
		for i := len(head) - 1; i >= max(0, len(head)-utf8.UTFMax); i-- {
			if utf8.RuneStart(head[i]) {
				head = head[:i]
				break
			}
		}
	}
	if !utf8.Valid(head) {
		return fmt.Sprintf("(binary data: % x …)", b[:min(len(b), 8)])
	}
	var out strings.Builder
	for i := 0; i < len(b) && n > 0; n-- {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			out.WriteRune('\uFFFD')
		case r == '\n' || r == '\r' || r == '\t':
			out.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			out.WriteRune('\uFFFD')
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}
