package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"sanshen/review"
)

// argonParams are the argon2id parameters of new password hashes. The stored
// hash carries its own parameters, so they can change without breaking logins.
type argonParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// defaultArgon follows the OWASP minimum for argon2id (19 MiB, t=2, p=1).
var defaultArgon = argonParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// fastArgon is for tests only (Config.InsecureFastPasswords).
var fastArgon = argonParams{Memory: 64, Time: 1, Threads: 1}

const argonKeyLen = 32

// hashPassword returns the PHC string of an argon2id hash of password.
func hashPassword(password string, p argonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the PHC string encoded.
func checkPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("stored password hash is not argon2id")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("stored password hash: unsupported argon2 version %q", parts[2])
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("stored password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("stored password salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("stored password hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// newToken returns a random 256-bit bearer token and the hash that is stored.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validateUser checks an account before it is stored.
func validateUser(username, displayName string, roles []review.Role) error {
	if username == "" || len(username) > 64 || !utf8.ValidString(username) {
		return errors.New("a username needs 1 to 64 characters")
	}
	for _, r := range username {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("username %q: use letters, digits, '.', '_' or '-'", username)
		}
	}
	if username == review.SystemActor {
		return fmt.Errorf("username %q is reserved for events the software makes", username)
	}
	if !utf8.ValidString(displayName) || utf8.RuneCountInString(displayName) > 100 {
		return errors.New("a display name needs at most 100 characters of valid UTF-8")
	}
	if len(roles) == 0 {
		return errors.New("a user needs at least one role")
	}
	for _, r := range roles {
		if !r.Valid() {
			return fmt.Errorf("unknown role %q (known: submitter, reviewer, head, secrecy_officer, leader, office)", r)
		}
	}
	return nil
}

// AddUser creates an account. The password is stored as an argon2id hash.
// It fails if the username is taken.
func (s *Server) AddUser(ctx context.Context, username, displayName, password string, roles []review.Role, department string) error {
	if displayName == "" {
		displayName = username
	}
	if err := validateUser(username, displayName, roles); err != nil {
		return err
	}
	if len(password) < 8 {
		return errors.New("a password needs at least 8 characters")
	}
	hash, err := hashPassword(password, s.argon)
	if err != nil {
		return err
	}
	rolesJSON, _ := json.Marshal(roles)
	now := s.now()
	err = s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users(username, display_name, password_hash, roles, department, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, username, displayName, hash, string(rolesJSON), department, formatTime(now))
		return err
	})
	if err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
			return fmt.Errorf("user %q already exists", username)
		}
		return fmt.Errorf("add user %s: %w", username, err)
	}
	return nil
}

// SetPassword changes a user's password and ends all their sessions.
func (s *Server) SetPassword(ctx context.Context, username, password string) error {
	if len(password) < 8 {
		return errors.New("a password needs at least 8 characters")
	}
	hash, err := hashPassword(password, s.argon)
	if err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE username = ?`, hash, username)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no user %q", username)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE username = ?`, username); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
}

// Users returns every account, ordered by username.
func (s *Server) Users(ctx context.Context) ([]review.User, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT username, display_name, roles, department FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []review.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanUser(row scanner, extra ...any) (review.User, error) {
	var u review.User
	var roles string
	if err := row.Scan(append([]any{&u.Username, &u.DisplayName, &roles, &u.Department}, extra...)...); err != nil {
		return review.User{}, err
	}
	if err := json.Unmarshal([]byte(roles), &u.Roles); err != nil {
		return review.User{}, fmt.Errorf("user %s: stored roles: %w", u.Username, err)
	}
	return u, nil
}

// dummyHash is checked against when the username is unknown, so that a
// wrong username takes as long as a wrong password.
var (
	dummyHashes = map[argonParams]string{}
	dummyHashMu sync.Mutex
)

func dummyHashFor(p argonParams) string {
	dummyHashMu.Lock()
	defer dummyHashMu.Unlock()
	h, ok := dummyHashes[p]
	if !ok {
		h, _ = hashPassword("not a password", p)
		dummyHashes[p] = h
	}
	return h
}

// login checks credentials and opens a session. It returns nil user and no
// error for wrong credentials.
func (s *Server) login(ctx context.Context, username, password string) (token string, u *review.User, expires time.Time, err error) {
	var hash string
	row := s.reads.QueryRowContext(ctx, `SELECT username, display_name, roles, department, password_hash FROM users WHERE username = ?`, username)
	user, err := scanUser(row, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(password, dummyHashFor(s.argon))
		return "", nil, time.Time{}, nil
	}
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("login: %w", err)
	}
	ok, err := checkPassword(password, hash)
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("login %s: %w", username, err)
	}
	if !ok {
		return "", nil, time.Time{}, nil
	}
	token, th, err := newToken()
	if err != nil {
		return "", nil, time.Time{}, err
	}
	now := s.now()
	expires = now.Add(s.cfg.TokenTTL)
	err = s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE expires_at <= ?`, formatTime(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tokens(hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			th, user.Username, formatTime(now), formatTime(expires))
		return err
	})
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("login %s: store session: %w", username, err)
	}
	return token, &user, expires, nil
}

// authenticate returns the user of a bearer token that has not expired.
func (s *Server) authenticate(ctx context.Context, r *http.Request) (review.User, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" {
		return review.User{}, newAPIError(http.StatusUnauthorized, "unauthorized", "log in first: send Authorization: Bearer <token>", "请先登录")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return review.User{}, newAPIError(http.StatusUnauthorized, "unauthorized", "the Authorization header must be \"Bearer <token>\"", "认证信息格式错误，应为 Bearer <令牌>")
	}
	var expires string
	row := s.reads.QueryRowContext(ctx, `SELECT u.username, u.display_name, u.roles, u.department, t.expires_at
		FROM tokens t JOIN users u ON u.username = t.username WHERE t.hash = ?`, tokenHash(strings.TrimSpace(token)))
	u, err := scanUser(row, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return review.User{}, newAPIError(http.StatusUnauthorized, "unauthorized", "the token is unknown or was revoked; log in again", "登录已失效，请重新登录")
	}
	if err != nil {
		return review.User{}, fmt.Errorf("authenticate: %w", err)
	}
	exp, err := parseTime(expires)
	if err != nil {
		return review.User{}, err
	}
	if !s.now().Before(exp) {
		return review.User{}, newAPIError(http.StatusUnauthorized, "token-expired", "the token has expired; log in again", "登录已过期，请重新登录")
	}
	return u, nil
}

// logout revokes one token.
func (s *Server) logout(ctx context.Context, r *http.Request) error {
	_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE hash = ?`, tokenHash(strings.TrimSpace(token)))
		return err
	})
}

// loginThrottle slows down password guessing. After freeFailures failures in
// a row for a key (a username, or a client address with a larger
// allowance), every further attempt must wait: 1 s, 2 s, 4 s… up to
// maxLockout. A success clears the username's record.
type loginThrottle struct {
	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	until    time.Time
	last     time.Time
}

const (
	userFreeFailures = 5
	addrFreeFailures = 30
	maxLockout       = 15 * time.Minute
	throttleForget   = time.Hour
)

func newLoginThrottle() *loginThrottle { return &loginThrottle{entries: map[string]*throttleEntry{}} }

// wait returns how long the caller must wait before trying the keys again; 0: go ahead.
func (t *loginThrottle) wait(now time.Time, keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		if e, ok := t.entries[k]; ok && now.Before(e.until) {
			longest = max(longest, e.until.Sub(now))
		}
	}
	return longest
}

// fail records a failed attempt for each key with its free allowance.
func (t *loginThrottle) fail(now time.Time, keys map[string]int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.entries) > 10000 {
		for k, e := range t.entries {
			if now.Sub(e.last) > throttleForget {
				delete(t.entries, k)
			}
		}
	}
	for k, free := range keys {
		e, ok := t.entries[k]
		if !ok || now.Sub(e.last) > throttleForget {
			e = &throttleEntry{}
			t.entries[k] = e
		}
		e.failures++
		e.last = now
		if over := e.failures - free; over > 0 {
			d := time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(over-1)), float64(maxLockout)))
			e.until = now.Add(d)
		}
	}
}

func (t *loginThrottle) succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}
