package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"sanshen/review"
	"sanshen/review/precheck"
)

func init() {
	register(&command{
		Name:  "check",
		Usage: "check [--json] [--lists DIR] [--no-spell] FILE...",
		Help:  "离线预审文件（.html/.htm 按 HTML 处理）/ run the offline pre-checks on files (.html/.htm as HTML)",
		Run:   runCheck,
	})
}

// maxCheckFile is the largest file `sanshen check` reads.
const maxCheckFile = 64 << 20

// checkJSON is one finding of `sanshen check --json`. Start and end count
// runes of the file's text (for HTML, of the extracted text), half-open.
type checkJSON struct {
	File       string `json:"file"`
	Check      string `json:"check"`
	Rule       string `json:"rule"`
	Severity   string `json:"severity"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Excerpt    string `json:"excerpt"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
	MessageEN  string `json:"message_en"`
}

// checkedFile is one file's text and findings.
type checkedFile struct {
	path     string
	text     string
	findings []precheck.Finding
}

// runCheck is `sanshen check`: exit 0 when no finding is an error, 1 when
// some are, 2 on a usage or I/O error.
func runCheck(ctx context.Context, e *env, args []string) int {
	var (
		asJSON, noSpell bool
		lists           string
		files           []string
	)
	usage := func(msg string) int {
		fmt.Fprintf(e.Stderr, "sanshen check: %s\nusage: sanshen check [--json] [--lists DIR] [--no-spell] FILE...\n", msg)
		return 2
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			i = len(args)
		case a == "--json" || a == "-json":
			asJSON = true
		case a == "--no-spell" || a == "-no-spell":
			noSpell = true
		case a == "--lists" || a == "-lists":
			if i+1 >= len(args) {
				return usage("--lists needs a directory")
			}
			lists = args[i+1]
			i++
		case strings.HasPrefix(a, "--lists=") || strings.HasPrefix(a, "-lists="):
			lists = a[strings.IndexByte(a, '=')+1:]
		case a == "-h" || a == "--help":
			fmt.Fprintln(e.Stdout, "usage: sanshen check [--json] [--lists DIR] [--no-spell] FILE...")
			fmt.Fprintln(e.Stdout, "  --json       one JSON array of findings: file, check, rule, severity, start, end (runes, half-open), excerpt, message, suggestion")
			fmt.Fprintln(e.Stdout, "  --lists DIR  the office's own list files, added to the defaults (see assets/precheck/README.md)")
			fmt.Fprintln(e.Stdout, "  --no-spell   leave out the statistical spelling detector")
			fmt.Fprintln(e.Stdout, "Exit status: 0 no error found, 1 errors found, 2 usage or I/O error.")
			return 0
		case len(a) > 1 && a[0] == '-':
			return usage(fmt.Sprintf("unknown flag %s", a))
		default:
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		return usage("no file given")
	}
	opts := precheck.Options{NoSpell: noSpell}
	if lists != "" {
		st, err := os.Stat(lists)
		if err != nil || !st.IsDir() {
			fmt.Fprintf(e.Stderr, "sanshen check: --lists %s: not a readable directory\n", lists)
			return 2
		}
		opts.Override = os.DirFS(lists)
	}
	checker, err := precheck.New(opts)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen check: %v\n", err)
		return 2
	}
	status := 0
	var results []checkedFile
	for _, path := range files {
		if ctx.Err() != nil {
			fmt.Fprintln(e.Stderr, "sanshen check: interrupted")
			return 2
		}
		body, err := readCheckFile(path)
		if err != nil {
			fmt.Fprintf(e.Stderr, "sanshen check: %v\n", err)
			status = 2
			continue
		}
		if !utf8.Valid(body) {
			fmt.Fprintf(e.Stderr, "sanshen check: %s: not valid UTF-8; each invalid byte counts as one rune and is reported as garbled text\n", path)
		}
		ct := review.ContentPlain
		if ext := strings.ToLower(filepath.Ext(path)); ext == ".html" || ext == ".htm" {
			ct = review.ContentHTML
		}
		doc, findings := checker.CheckBody(string(body), ct)
		results = append(results, checkedFile{path: path, text: doc.Text, findings: findings})
		for _, f := range findings {
			if f.Severity == precheck.SeverityError && status == 0 {
				status = 1
			}
		}
	}
	if asJSON {
		out := []checkJSON{}
		for _, r := range results {
			for _, f := range r.findings {
				out = append(out, checkJSON{
					File: r.path, Check: string(f.Check), Rule: f.Rule, Severity: string(f.Severity),
					Start: f.Start, End: f.End, Excerpt: f.Excerpt, Message: f.Message,
					Suggestion: f.Suggestion, MessageEN: f.MessageEN,
				})
			}
		}
		if code := writeJSON(e, "check", out); code != 0 {
			return code
		}
		return status
	}
	writeChecked(e.Stdout, results)
	return status
}

// readCheckFile reads a file of at most maxCheckFile bytes.
func readCheckFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	body, err := io.ReadAll(io.LimitReader(f, maxCheckFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(body) > maxCheckFile {
		return nil, fmt.Errorf("%s: %w (more than %d MiB)", path, errTooLarge, maxCheckFile>>20)
	}
	return body, nil
}

var errTooLarge = errors.New("file too large")

var severityNames = map[precheck.Severity]string{
	precheck.SeverityError: "错误", precheck.SeverityWarning: "警告", precheck.SeverityInfo: "提示",
}

// writeChecked prints the findings readably: file:line:col, severity, check,
// rule, message, excerpt and suggestion, and a summary per file.
func writeChecked(w io.Writer, results []checkedFile) {
	for _, r := range results {
		lines := lineStarts(r.text)
		counts := map[precheck.Severity]int{}
		for _, f := range r.findings {
			counts[f.Severity]++
			line, col := position(lines, f.Start)
			fmt.Fprintf(w, "%s:%d:%d: %s %s %s %s\n", r.path, line, col,
				severityNames[f.Severity], review.CheckNameZH(f.Check), f.Rule, f.Message)
			excerpt := safeExcerpt(f.Excerpt)
			if f.Suggestion != "" {
				fmt.Fprintf(w, "    「%s」 → 「%s」\n", excerpt, safeExcerpt(f.Suggestion))
			} else {
				fmt.Fprintf(w, "    「%s」\n", excerpt)
			}
		}
		fmt.Fprintf(w, "%s: %d 个错误，%d 个警告，%d 个提示 / %d errors, %d warnings, %d notes\n",
			r.path, counts[precheck.SeverityError], counts[precheck.SeverityWarning], counts[precheck.SeverityInfo],
			counts[precheck.SeverityError], counts[precheck.SeverityWarning], counts[precheck.SeverityInfo])
	}
}

// lineStarts returns the rune offset at which each line of text starts.
func lineStarts(text string) []int {
	starts := []int{0}
	n := 0
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		n++
		if r == '\n' {
			starts = append(starts, n)
		}
	}
	return starts
}

// position returns the 1-based line and column (in runes) of rune offset off.
func position(starts []int, off int) (line, col int) {
	i := sort.SearchInts(starts, off+1) - 1 // the last line starting at or before off
	return i + 1, off - starts[i] + 1
}

// safeExcerpt shows control characters and invalid bytes visibly, so that a
// finding cannot garble the terminal.
func safeExcerpt(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
		i += w
	}
	return sb.String()
}
