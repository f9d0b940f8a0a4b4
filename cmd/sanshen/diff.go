package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"sanshen/review/textdiff"
)

func init() {
	register(&command{
		Name:  "diff",
		Usage: "diff [--json] [--context N] [--color auto|always|never] [--budget D] OLD_FILE NEW_FILE | diff ID [--from N] [--to M] [--raw]",
		Help:  "比较两个版本（中文按字、英文按词）/ compare two versions (per character for Chinese, per word for Latin)",
		Run:   runDiff,
	})
}

// diffItem runs the item form, `sanshen diff ID [--from N] [--to M] [--raw]`,
// which compares two versions of a cached item. The client sets it from its own
// file; args are all the arguments after "diff".
var diffItem = func(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.Stderr, "sanshen diff: item diffs need the client (not built yet)")
	return 2
}

// maxDiffFile bounds the files the command compares.
const maxDiffFile = 64 << 20

func runDiff(ctx context.Context, e *env, args []string) int {
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "from" || name == "to" || name == "raw") {
			return diffItem(ctx, e, args)
		}
	}
	fs := flag.NewFlagSet("sanshen diff", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	asJSON := fs.Bool("json", false, `print {"segments":[{"op":"equal"|"insert"|"delete","text":"…"}],"degraded":false,"stats":{…}}`)
	contextLines := fs.Int("context", 3, "unchanged lines shown around each change; -1 shows the whole text")
	color := fs.String("color", "auto", "colour the changes: auto (when writing to a terminal and NO_COLOR is unset), always or never")
	budget := fs.Duration("budget", textdiff.DefaultBudget, "time after which the diff falls back to whole sentences or paragraphs (0: no limit)")
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "Usage: sanshen diff [--json] [--context N] [--color auto|always|never] [--budget D] OLD_FILE NEW_FILE")
		fmt.Fprintln(e.Stderr, "       sanshen diff ID [--from N] [--to M] [--raw]")
		fs.PrintDefaults()
	}
	// Flags may come before or after the file names.
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if !validColor(e, *color) {
		return 2
	}
	switch len(files) {
	case 2:
	case 1:
		return diffItem(ctx, e, args)
	default:
		fs.Usage()
		return 2
	}
	texts := make([]string, 2)
	for i, name := range files {
		text, err := readDiffFile(name)
		if err != nil {
			fmt.Fprintf(e.Stderr, "sanshen diff: %v\n", err)
			return 2
		}
		texts[i] = text
	}
	if *budget == 0 {
		*budget = -1 // no limit
	}
	result := textdiff.Diff(ctx, texts[0], texts[1], textdiff.Options{Budget: *budget})
	if *asJSON {
		for i, name := range files {
			if !utf8.ValidString(texts[i]) {
				fmt.Fprintf(e.Stderr, "sanshen diff: warning: %s is not valid UTF-8; JSON shows its invalid bytes as U+FFFD\n", name)
			}
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(result); err != nil {
			fmt.Fprintf(e.Stderr, "sanshen diff: %v\n", err)
			return 2
		}
		return 0
	}
	return writeDiffText(e, result, *color, *contextLines)
}

// validColor reports whether --color is auto, always or never, and says
// so when it is not.
func validColor(e *env, color string) bool {
	switch color {
	case "auto", "always", "never":
		return true
	}
	fmt.Fprintf(e.Stderr, "sanshen diff: --color must be auto, always or never, not %q\n", color)
	return false
}

// writeDiffText prints a diff for a person, coloured as --color says (auto:
// on a terminal unless NO_COLOR is set), with contextLines around changes.
func writeDiffText(e *env, result *textdiff.Result, color string, contextLines int) int {
	opts := textdiff.TextOptions{
		Color:   color == "always" || color == "auto" && isTerminal(e.Stdout) && os.Getenv("NO_COLOR") == "",
		Context: contextLines,
		English: englishLocale(),
	}
	if err := textdiff.WriteText(e.Stdout, result, opts); err != nil {
		fmt.Fprintf(e.Stderr, "sanshen diff: %v\n", err)
		return 2
	}
	return 0
}

// readDiffFile reads a file to compare, refusing directories and files
// too large to show.
func readDiffFile(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", name, err)
	}
	if info.IsDir() {
		return "", fmt.Errorf("cannot compare %s: it is a directory", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxDiffFile+1))
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", name, err)
	}
	if len(data) > maxDiffFile {
		return "", fmt.Errorf("cannot compare %s: larger than %d MiB", name, maxDiffFile>>20)
	}
	return string(data), nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// englishLocale reports whether the user's locale asks for English.
func englishLocale() bool {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return strings.HasPrefix(s, "en")
		}
	}
	return false
}
