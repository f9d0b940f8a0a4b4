package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"sanshen/assets"
)

var (
	trCall      = regexp.MustCompile(`tr\("([^"]+)",\s*("(?:[^"\\]|\\.)*")`)
	placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)
)

// TestTranslationsComplete checks that every message the code asks for is in
// both message files with the same placeholders as the English fallback.
func TestTranslationsComplete(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	used := map[string]string{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range trCall.FindAllStringSubmatch(string(src), -1) {
			fallback, err := strconv.Unquote(m[2])
			if err != nil {
				t.Fatalf("%s: %v", m[0], err)
			}
			used[m[1]] = fallback
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d messages in the code", len(used))
	}
	for _, name := range []string{"zh_Hans.json", "en.json"} {
		b, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for key, fallback := range used {
			got, ok := msgs[key]
			if !ok || got == "" {
				t.Errorf("%s lacks %q (%s)", name, key, fallback)
				continue
			}
			want, have := placeholder.FindAllString(fallback, -1), placeholder.FindAllString(got, -1)
			slices.Sort(want)
			slices.Sort(have)
			if !slices.Equal(want, have) {
				t.Errorf("%s: %q has placeholders %v, the code passes %v", name, key, have, want)
			}
		}
		for key := range msgs {
			if _, ok := used[key]; !ok {
				t.Errorf("%s has %q, which the code never asks for", name, key)
			}
		}
	}
}
