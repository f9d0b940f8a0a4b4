package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"unicode"

	"golang.org/x/term"

	"sanshen/client"
)

// This file holds login and logout, and what the other client commands
// share: opening the saved session, parsing flags that may follow the ID,
// messages in Chinese or English, and printing untrusted text safely.

func init() {
	register(&command{
		Name:  "login",
		Usage: "login --server URL --user NAME [--ca FILE]   (password: $SANSHEN_PASSWORD, else asked without echo)",
		Help:  "登录审核服务器 / sign in to the review server",
		Run:   runLogin,
	})
	register(&command{
		Name:  "logout",
		Usage: "logout [--keep-cache] [--force]",
		Help:  "退出登录并清除本地缓存 / sign out and delete the local cache",
		Run:   runLogout,
	})
}

// tr returns the message in the user's language: Chinese unless the locale
// asks for English.
func tr(zh, en string) string {
	if englishLocale() {
		return en
	}
	return zh
}

// clientOptions are the client's options for a command.
func clientOptions(e *env) client.Options {
	level := slog.LevelWarn + 100 // silent
	if os.Getenv("SANSHEN_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return client.Options{
		Dir:    e.ConfigDir,
		Logger: slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: level})),
	}
}

// openSession opens the saved sign-in, or says how to make one. code is the
// exit status to return when s is nil.
func openSession(ctx context.Context, e *env, cmd string) (s *client.Session, code int) {
	s, err := client.Open(ctx, clientOptions(e))
	if errors.Is(err, client.ErrNoSession) {
		fmt.Fprintf(e.Stderr, "sanshen %s: %s\n", cmd, tr("尚未登录，请先运行 sanshen login --server URL --user NAME",
			"not signed in: run sanshen login --server URL --user NAME first"))
		return nil, 2
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen %s: %v\n", cmd, err)
		return nil, 2
	}
	return s, 0
}

// parseFlagsOnly parses the arguments of a subcommand that takes flags
// only. When they are not right it prints why (or the usage) and returns
// false with the exit status.
func parseFlagsOnly(fs *flag.FlagSet, args []string) (code int, ok bool) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err), false
	}
	if len(pos) > 0 {
		fmt.Fprintf(fs.Output(), tr("多余的参数 %q\n", "unexpected argument %q\n"), pos[0])
		fs.Usage()
		return 2, false
	}
	return 0, true
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		rest := fs.Args()
		// After "--" everything is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet makes a flag set for a subcommand that prints its usage.
func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("sanshen "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Usage: sanshen %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// flagExit is the exit status after a flag parse error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// safeText makes text from the server safe to print on a terminal: control
// characters (escape sequences among them) and bidirectional overrides are
// shown as \x.. or \u.... escapes; line breaks and tabs stay.
func safeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0, r == unicode.ReplacementChar,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine is safeText on one line.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(safeText(s), "\n", " "), "\t", " ")
}

func runLogin(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "login", "login --server URL --user NAME [--ca FILE]")
	serverURL := fs.String("server", "", "the review server's address, e.g. https://review.example.gov.cn")
	user := fs.String("user", "", "your username")
	ca := fs.String("ca", "", "a PEM `FILE` of certificate authorities to trust (an office's own CA)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 || *serverURL == "" || *user == "" {
		fs.Usage()
		return 2
	}
	password, ok := os.LookupEnv("SANSHEN_PASSWORD")
	if !ok {
		password, err = readPassword(e, *user)
		if err != nil {
			fmt.Fprintf(e.Stderr, "sanshen login: %v\n", err)
			return 2
		}
	}
	opts := clientOptions(e)
	opts.HTTP.CAFile = *ca
	s, err := client.Login(ctx, opts, *serverURL, *user, password)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen login: %v\n", err)
		if errors.Is(err, client.ErrUnauthorized) {
			return 1
		}
		return 2
	}
	defer s.Close()
	u := s.User()
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	fmt.Fprintf(e.Stdout, tr("已登录 signed in：%s（%s，%s）@ %s\n", "signed in: %s (%s, %s) @ %s\n"),
		oneLine(u.DisplayName), oneLine(u.Username), strings.Join(roles, ", "), s.Server())
	if st := s.State(); st.Pending > 0 {
		fmt.Fprintf(e.Stdout, tr("有 %d 条审核意见待发送，请运行 sanshen sync\n", "%d decisions wait to be sent: run sanshen sync\n"), st.Pending)
	}
	return 0
}

// readPassword asks for the password without echo on a terminal, or reads
// one line from a pipe.
func readPassword(e *env, user string) (string, error) {
	if f, ok := e.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.Stderr, tr("%s 的密码：", "Password for %s: "), user)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(io.LimitReader(e.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New(tr("没有密码：请设置 SANSHEN_PASSWORD 或在终端中输入", "no password: set SANSHEN_PASSWORD or type it on a terminal"))
	}
	return line, nil
}

func runLogout(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "logout", "logout [--keep-cache] [--force]")
	keep := fs.Bool("keep-cache", false, "keep the local cache (queue, items, outbox) on disk")
	force := fs.Bool("force", false, "delete the cache even if decisions were never sent")
	if code, ok := parseFlagsOnly(fs, args); !ok {
		return code
	}
	s, code := openSession(ctx, e, "logout")
	if s == nil {
		return code
	}
	err := s.Logout(ctx, client.LogoutOptions{KeepCache: *keep, Force: *force})
	if errors.Is(err, client.ErrPendingDecisions) {
		s.Close()
		fmt.Fprintf(e.Stderr, "sanshen logout: %v\n%s\n", err, tr(
			"未发送的审核意见不会被删除：联网后运行 sanshen sync，或用 --keep-cache 保留缓存退出，或用 --force 放弃它们",
			"unsent decisions are not deleted: run sanshen sync when online, or sign out with --keep-cache, or give them up with --force"))
		return 1
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen logout: %v\n", err)
		return 2
	}
	if *keep {
		fmt.Fprintln(e.Stdout, tr("已退出登录 signed out（本地缓存已保留）", "signed out (the local cache is kept)"))
	} else {
		fmt.Fprintln(e.Stdout, tr("已退出登录 signed out，本地缓存已删除", "signed out; the local cache is deleted"))
	}
	return 0
}
