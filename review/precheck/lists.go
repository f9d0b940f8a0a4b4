package precheck

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	"sanshen/review/precheck/ahocorasick"
)

// The list files, in assets/precheck and in an office's override folder.
// Their format is described in assets/precheck/README.md.
const (
	FileFormulations = "formulations.tsv" // political: wrong forms of standard formulations
	FileLeaders      = "leaders.tsv"      // political: leaders' names and titles (empty by default)
	FileRepealed     = "repealed.tsv"     // legal: repealed laws and documents
	FileSensitive    = "sensitive.tsv"    // secrecy: markers and words of internal material
	FileTypos        = "typos.tsv"        // text: common wrong words and their corrections
	FileTraditional  = "traditional.tsv"  // text: Traditional-only characters and their Simplified forms
)

// entry is one line of a list file:
//
//	pattern<TAB>suggestion<TAB>severity<TAB>note
//
// with every field after the pattern optional. A line "=phrase" lists an
// allowed phrase: it is matched like the others and never reported, so a
// correct word that contains a listed one is left alone (既使用 against 既使).
// In an override file, "-pattern" removes that entry of the defaults.
type entry struct {
	pattern    string
	suggestion string
	severity   Severity // empty: the rule's
	note       string
	allowed    bool
}

// list is a merged list file with its matcher.
type list struct {
	entries []entry
	m       *ahocorasick.Matcher
}

// scan calls fn for each reported entry found in text (leftmost-longest,
// allowed phrases skipped), with byte offsets.
func (l *list) scan(text string, fn func(e *entry, start, end int)) {
	if l == nil || l.m == nil {
		return
	}
	l.m.Scan(text, func(mt ahocorasick.Match) bool {
		if e := &l.entries[mt.Pattern]; !e.allowed {
			fn(e, mt.Start, mt.End)
		}
		return true
	})
}

// lineError is a problem on one line of a data file.
type lineError struct {
	file string
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

// readLines calls fn for each line of name in fsys that is neither blank nor
// a comment, with its tab-separated fields. A missing file is no error when
// optional is true.
func readLines(fsys fs.FS, name string, optional bool, fn func(line int, fields []string) error) error {
	if fsys == nil {
		return nil
	}
	f, err := fsys.Open(name)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("precheck: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if !utf8.ValidString(text) {
			return &lineError{name, n, "not valid UTF-8"}
		}
		fields := strings.Split(text, "\t")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if err := fn(n, fields); err != nil {
			var le *lineError
			if errors.As(err, &le) {
				return err
			}
			return &lineError{name, n, err.Error()}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("precheck: reading %s: %w", name, err)
	}
	return nil
}

// loadList reads name from defaults, applies the office's override file of
// the same name when there is one, and builds the matcher.
func loadList(defaults, override fs.FS, name string) (*list, error) {
	var entries []entry
	index := map[string]int{}
	add := func(e entry) {
		if i, ok := index[e.pattern]; ok {
			entries[i] = e
			return
		}
		index[e.pattern] = len(entries)
		entries = append(entries, e)
	}
	parse := func(isOverride bool) func(int, []string) error {
		return func(_ int, f []string) error {
			p := f[0]
			var e entry
			switch {
			case isOverride && strings.HasPrefix(p, "-"):
				p = strings.TrimSpace(p[1:])
				if p == "" {
					return errors.New("“-” needs the pattern to remove")
				}
				if i, ok := index[p]; ok {
					entries[i].pattern = ""
					delete(index, p)
				}
				return nil
			case strings.HasPrefix(p, "="):
				e = entry{pattern: strings.TrimSpace(p[1:]), allowed: true}
			default:
				e = entry{pattern: p}
				if len(f) > 1 {
					e.suggestion = f[1]
				}
				if len(f) > 2 && f[2] != "" {
					e.severity = Severity(f[2])
					if !e.severity.Valid() {
						return fmt.Errorf("severity %q: want error, warning or info", f[2])
					}
				}
				if len(f) > 3 {
					e.note = f[3]
				}
			}
			if e.pattern == "" {
				return errors.New("empty pattern")
			}
			if len(e.pattern) > 1000 {
				return errors.New("pattern longer than 1000 bytes")
			}
			add(e)
			return nil
		}
	}
	if err := readLines(defaults, name, false, parse(false)); err != nil {
		return nil, err
	}
	if err := readLines(override, name, true, parse(true)); err != nil {
		return nil, err
	}
	entries = slices.DeleteFunc(entries, func(e entry) bool { return e.pattern == "" })
	patterns := make([]string, len(entries))
	for i, e := range entries {
		patterns[i] = e.pattern
	}
	m, err := ahocorasick.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("precheck: %s: %w", name, err)
	}
	return &list{entries: entries, m: m}, nil
}

// leader is one line of leaders.tsv:
//
//	name<TAB>title、title…<TAB>misspelling、misspelling…
type leader struct {
	name         string
	titles       []string
	misspellings []string
}

// leaders is the merged leaders list with a matcher over names and their
// misspellings.
type leaders struct {
	people []leader
	titles []string // every title of every leader, longest first
	// pattern i of m is a name or misspelling of people[who[i]];
	// misspelt[i] says which.
	m        *ahocorasick.Matcher
	who      []int
	misspelt []bool
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func loadLeaders(defaults, override fs.FS) (*leaders, error) {
	var people []leader
	index := map[string]int{}
	parse := func(isOverride bool) func(int, []string) error {
		return func(_ int, f []string) error {
			name := f[0]
			if isOverride && strings.HasPrefix(name, "-") {
				name = strings.TrimSpace(name[1:])
				if i, ok := index[name]; ok {
					people[i].name = ""
					delete(index, name)
				}
				return nil
			}
			if name == "" {
				return errors.New("empty name")
			}
			l := leader{name: name}
			if len(f) > 1 {
				l.titles = splitList(f[1])
			}
			if len(f) > 2 {
				l.misspellings = splitList(f[2])
			}
			if i, ok := index[name]; ok {
				people[i] = l
			} else {
				index[name] = len(people)
				people = append(people, l)
			}
			return nil
		}
	}
	if err := readLines(defaults, FileLeaders, false, parse(false)); err != nil {
		return nil, err
	}
	if err := readLines(override, FileLeaders, true, parse(true)); err != nil {
		return nil, err
	}
	ls := &leaders{}
	var patterns []string
	seenTitle := map[string]bool{}
	for _, p := range people {
		if p.name == "" {
			continue
		}
		i := len(ls.people)
		ls.people = append(ls.people, p)
		patterns = append(patterns, p.name)
		ls.who = append(ls.who, i)
		ls.misspelt = append(ls.misspelt, false)
		for _, w := range p.misspellings {
			patterns = append(patterns, w)
			ls.who = append(ls.who, i)
			ls.misspelt = append(ls.misspelt, true)
		}
		for _, t := range p.titles {
			if !seenTitle[t] {
				seenTitle[t] = true
				ls.titles = append(ls.titles, t)
			}
		}
	}
	// Longest first, so that 副市长 is tried before 市长.
	slices.SortStableFunc(ls.titles, func(a, b string) int { return len(b) - len(a) })
	m, err := ahocorasick.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("precheck: %s: %w", FileLeaders, err)
	}
	ls.m = m
	return ls, nil
}

// loadTraditional reads the Traditional → Simplified character table.
func loadTraditional(defaults, override fs.FS) (map[rune]rune, error) {
	table := map[rune]rune{}
	parse := func(isOverride bool) func(int, []string) error {
		return func(_ int, f []string) error {
			k := f[0]
			remove := false
			if isOverride && strings.HasPrefix(k, "-") {
				k, remove = strings.TrimSpace(k[1:]), true
			}
			t, n := utf8.DecodeRuneInString(k)
			if n == 0 || n != len(k) {
				return fmt.Errorf("want one character, got %q", k)
			}
			if remove {
				delete(table, t)
				return nil
			}
			if len(f) < 2 {
				return errors.New("want a character, a tab and its simplified form")
			}
			s, n := utf8.DecodeRuneInString(f[1])
			if n == 0 || n != len(f[1]) {
				return fmt.Errorf("want one simplified character, got %q", f[1])
			}
			table[t] = s
			return nil
		}
	}
	if err := readLines(defaults, FileTraditional, false, parse(false)); err != nil {
		return nil, err
	}
	if err := readLines(override, FileTraditional, true, parse(true)); err != nil {
		return nil, err
	}
	return table, nil
}
