// Command sanshend is the Sanshen review server: the REST/JSON API over a
// SQLite database that enforces the review rules and keeps the audit trail.
//
//	sanshend [--addr 127.0.0.1:8470] [--db sanshend.db] [--tls-cert F --tls-key F] [--demo]
//	sanshend user add NAME --role ROLE [--role ROLE…] [--department D] [--display-name N] [--db F]
//	sanshend user passwd NAME [--db F]
//
// Passwords for the user subcommands come from SANSHEND_PASSWORD or a prompt
// that does not echo. With --demo on an empty database it creates the demo
// users, columns and items; their password is SANSHEND_DEMO_PASSWORD or a
// generated one printed once.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"sanshen/review"
	"sanshen/review/precheck"
	"sanshen/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run returns the exit status: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "user" {
		return runUser(ctx, args[1:], stdin, stdout, stderr)
	}
	fs := flag.NewFlagSet("sanshend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8470", "listen on `host:port`")
	db := fs.String("db", "", "SQLite database `file` (default sanshend.db, or sanshend-demo.db with --demo)")
	cert := fs.String("tls-cert", "", "serve HTTPS with this certificate `file` (needs --tls-key)")
	key := fs.String("tls-key", "", "private key `file` for --tls-cert")
	demo := fs.Bool("demo", false, "on an empty database, create the demo users, columns and items")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  sanshend [flags]\n  sanshend user add NAME --role ROLE… [--department D]\n  sanshend user passwd NAME\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sanshend: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if (*cert == "") != (*key == "") {
		fmt.Fprintln(stderr, "sanshend: --tls-cert and --tls-key go together")
		return 2
	}
	if *db == "" {
		*db = "sanshend.db"
		if *demo {
			*db = "sanshend-demo.db"
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// The secrecy pre-checks route items with markers, ID numbers and the
	// like to the secrecy officer (DESIGN §2.1).
	scan, err := precheck.New(precheck.Options{NoSpell: true})
	if err != nil {
		log.Error("cannot load the pre-checks", "err", err)
		return 1
	}
	s, err := server.Open(ctx, server.Config{DBPath: *db, Logger: log, SecrecyScan: scan.SecrecyScan})
	if err != nil {
		log.Error("cannot open the database", "db", *db, "err", err)
		return 1
	}
	defer func() {
		if err := s.Close(); err != nil {
			log.Error("closing the database", "err", err)
		} else {
			log.Info("database closed", "db", *db)
		}
	}()
	if *demo {
		if code := seedDemo(ctx, s, log, stdout); code != 0 {
			return code
		}
	}
	log.Info("sanshend starting", "db", *db, "schema_version", server.SchemaVersion())
	if err := server.ListenAndServe(ctx, s, *addr, *cert, *key); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

func seedDemo(ctx context.Context, s *server.Server, log *slog.Logger, stdout io.Writer) int {
	password := os.Getenv("SANSHEND_DEMO_PASSWORD")
	generated := password == ""
	if generated {
		password = rand.Text()[:16]
	}
	err := s.SeedDemo(ctx, password)
	if errors.Is(err, server.ErrAlreadySeeded) {
		log.Info("the database already has users: using it as it is (demo passwords unchanged)")
		return 0
	}
	if err != nil {
		log.Error("demo data", "err", err)
		return 1
	}
	users := strings.Join(server.DemoUsernames(), ", ")
	if generated {
		fmt.Fprintf(stdout, "Demo users: %s\nPassword for all of them (shown once): %s\n", users, password)
	} else {
		fmt.Fprintf(stdout, "Demo users: %s\nPassword: the value of SANSHEND_DEMO_PASSWORD\n", users)
	}
	return 0
}

// roleList collects repeated --role flags (also comma-separated).
type roleList []review.Role

func (r *roleList) String() string { return fmt.Sprint(*r) }

func (r *roleList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		role := review.Role(strings.TrimSpace(p))
		if !role.Valid() {
			return fmt.Errorf("unknown role %q (known: submitter, reviewer, head, secrecy_officer, leader, office)", p)
		}
		*r = append(*r, role)
	}
	return nil
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func() {
		fmt.Fprintln(stderr, "Usage:\n  sanshend user add NAME --role ROLE [--role ROLE…] [--department D] [--display-name N] [--db F]\n  sanshend user passwd NAME [--db F]\nThe password comes from SANSHEND_PASSWORD or is asked for.")
	}
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		usage()
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("sanshend user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "sanshend.db", "SQLite database `file`")
	var roles roleList
	dept := fs.String("department", "", "the user's department (处室/单位)")
	display := fs.String("display-name", "", "the name shown to others (default: the username)")
	if sub == "add" {
		fs.Var(&roles, "role", "a `role` of the user; repeat for several")
	}
	// The name may come before or after the flags.
	rest := args[1:]
	var name string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sanshend user %s: unexpected argument %q\n", sub, fs.Arg(0))
		return 2
	}
	if name == "" {
		usage()
		return 2
	}
	if sub == "add" && len(roles) == 0 {
		fmt.Fprintln(stderr, "sanshend user add: give at least one --role")
		return 2
	}
	password, err := readPassword(stdin, stderr, name)
	if err != nil {
		fmt.Fprintln(stderr, "sanshend:", err)
		return 1
	}
	s, err := server.Open(ctx, server.Config{DBPath: *db})
	if err != nil {
		fmt.Fprintln(stderr, "sanshend:", err)
		return 1
	}
	defer s.Close()
	if sub == "add" {
		err = s.AddUser(ctx, name, *display, password, roles, *dept)
	} else {
		err = s.SetPassword(ctx, name, password)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sanshend:", err)
		return 1
	}
	if sub == "add" {
		fmt.Fprintf(stdout, "user %s added with roles %v\n", name, roles)
	} else {
		fmt.Fprintf(stdout, "password of %s changed; their sessions were ended\n", name)
	}
	return 0
}

// readPassword takes SANSHEND_PASSWORD, or asks twice on the terminal
// without echo, or reads one line from a non-terminal stdin.
func readPassword(stdin io.Reader, stderr io.Writer, name string) (string, error) {
	if p := os.Getenv("SANSHEND_PASSWORD"); p != "" {
		return p, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "Password for %s: ", name)
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(p1) != string(p2) {
			return "", errors.New("the passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", errors.New("no password: set SANSHEND_PASSWORD or type it at the prompt")
	}
	return line, nil
}
