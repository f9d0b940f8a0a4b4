// Command sanshen is the Sanshen desktop client. With a subcommand it runs in
// command mode and opens no window; without one it starts the GUI.
//
// Each subcommand lives in its own file and registers itself in init with
// register; main only dispatches.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	_ "sanshen/internal/initlocale" // before Fyne's initialisation; see its comment
)

// env is what a subcommand gets: its streams and the global flags.
type env struct {
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer
	ConfigDir string // --config-dir; empty means os.UserConfigDir()/sanshen
}

// command is one subcommand of the command mode.
type command struct {
	Name  string
	Usage string // one line: arguments and flags
	Help  string // one line: what it does
	// Run returns the exit status: 0 success, 1 refused or found problems, 2 usage or I/O error.
	Run func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("sanshen: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// runGUI starts the desktop client; set by the file that builds the GUI.
var runGUI = func(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.Stderr, "sanshen: the desktop client is not built in this version")
	return 2
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// run parses the global flags and dispatches to a subcommand or the GUI.
func run(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("sanshen", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.StringVar(&e.ConfigDir, "config-dir", "", "keep the local cache and settings in `DIR` instead of the user's config directory")
	fs.Usage = func() { usage(e.Stderr, fs) }
	// Global flags come before the subcommand; GUI flags (such as --demo) are
	// passed through to the GUI untouched.
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--config-dir" || a == "-config-dir" {
			if i+1 >= len(args) {
				fmt.Fprintln(e.Stderr, "sanshen: --config-dir needs a directory")
				return 2
			}
			e.ConfigDir = args[i+1]
			i++
			continue
		}
		if v, ok := cutPrefixes(a, "--config-dir=", "-config-dir="); ok {
			e.ConfigDir = v
			continue
		}
		if a == "-h" || a == "--help" || a == "help" {
			fs.Usage()
			return 0
		}
		rest = append(rest, a)
	}
	if len(rest) > 0 {
		if c, ok := commands[rest[0]]; ok {
			return c.Run(ctx, e, rest[1:])
		}
		if rest[0][0] != '-' {
			fmt.Fprintf(e.Stderr, "sanshen: unknown command %q\n\n", rest[0])
			fs.Usage()
			return 2
		}
	}
	return runGUI(ctx, e, rest)
}

func cutPrefixes(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):], true
		}
	}
	return "", false
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: sanshen [--config-dir DIR] [COMMAND [ARGS]]")
	fmt.Fprintln(w, "Without a command, sanshen opens the desktop client (--demo: with a demo server).")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.Name, c.Help, c.Usage)
	}
	fmt.Fprintln(w, "\nGlobal flags:")
	fs.PrintDefaults()
}
