package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// runSanshen runs the command line in-process and returns the exit status
// and both streams.
func runSanshen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	return code, stdout.String(), stderr.String()
}

func writeFiles(t *testing.T, texts ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, text := range texts {
		p := filepath.Join(dir, []string{"old.txt", "new.txt", "third.txt"}[i])
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

const (
	diffOld = "第一条 为了规范网站管理，制定本办法。\n第二条 本办法适用于委网站。\n第三条 办公室负责统筹。\n"
	diffNew = "第一条 为了进一步规范网站管理，制定本办法。\n第三条 办公室负责统筹。\n"
)

func TestDiffJSON(t *testing.T) {
	files := writeFiles(t, diffOld, diffNew)
	for _, args := range [][]string{
		{"diff", "--json", files[0], files[1]},
		{"diff", files[0], files[1], "--json"},
		{"--config-dir", t.TempDir(), "diff", "-json", files[0], files[1]},
	} {
		code, stdout, stderr := runSanshen(t, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		var got struct {
			Segments []map[string]string `json:"segments"`
			Degraded *bool               `json:"degraded"`
			Stats    map[string]int      `json:"stats"`
		}
		dec := json.NewDecoder(strings.NewReader(stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%v: %v in %s", args, err, stdout)
		}
		var oldText, newText strings.Builder
		for _, s := range got.Segments {
			if len(s) != 2 {
				t.Errorf("segment %v: want exactly op and text", s)
			}
			switch s["op"] {
			case "equal":
				oldText.WriteString(s["text"])
				newText.WriteString(s["text"])
			case "delete":
				oldText.WriteString(s["text"])
			case "insert":
				newText.WriteString(s["text"])
			default:
				t.Errorf("op %q", s["op"])
			}
		}
		if oldText.String() != diffOld || newText.String() != diffNew {
			t.Errorf("segments do not rebuild the files: %v", got.Segments)
		}
		want := []map[string]string{
			{"op": "equal", "text": "第一条 为了"},
			{"op": "insert", "text": "进一步"},
			{"op": "equal", "text": "规范网站管理，制定本办法。\n"},
			{"op": "delete", "text": "第二条 本办法适用于委网站。\n"},
			{"op": "equal", "text": "第三条 办公室负责统筹。\n"},
		}
		if !reflect.DeepEqual(got.Segments, want) {
			t.Errorf("segments %v", got.Segments)
		}
		if got.Degraded == nil || *got.Degraded {
			t.Errorf("degraded %v", got.Degraded)
		}
		if got.Stats["runes_inserted"] != 3 || got.Stats["paragraphs_deleted"] != 1 || got.Stats["paragraphs_changed"] != 1 {
			t.Errorf("stats %v", got.Stats)
		}
	}
}

func TestDiffReadable(t *testing.T) {
	files := writeFiles(t, diffOld, diffNew)
	code, stdout, stderr := runSanshen(t, "diff", files[0], files[1])
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := "@@ -1 +1 @@\n" +
		"第一条 为了{+进一步+}规范网站管理，制定本办法。\n" +
		"[-第二条 本办法适用于委网站。↵-]\n" +
		"第三条 办公室负责统筹。\n" +
		"插入 3 字，删除 15 字；段落：修改 1，新增 0，删除 1，移动 0。\n"
	if stdout != want {
		t.Errorf("not a terminal: want plain marks, got\n%s", stdout)
	}
	code, stdout, _ = runSanshen(t, "diff", "--color", "always", "--context", "-1", files[0], files[1])
	if code != 0 || !strings.Contains(stdout, "\x1b[32m进一步\x1b[0m") || strings.Contains(stdout, "{+") {
		t.Errorf("--color always: exit %d\n%q", code, stdout)
	}
	t.Setenv("LANG", "en_GB.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	_, stdout, _ = runSanshen(t, "diff", files[0], files[0])
	if stdout != "The two versions are identical.\n" {
		t.Errorf("identical files, English: %q", stdout)
	}
}

func TestDiffInvalidUTF8(t *testing.T) {
	files := writeFiles(t, "无效\xff字节\n", "无效\xfe字节\n")
	code, stdout, stderr := runSanshen(t, "diff", "--json", files[0], files[1])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "not valid UTF-8") {
		t.Errorf("no warning: %q", stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Errorf("not JSON: %q", stdout)
	}
}

func TestDiffErrors(t *testing.T) {
	files := writeFiles(t, diffOld)
	missing := filepath.Join(filepath.Dir(files[0]), "missing.txt")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing new file", []string{"diff", files[0], missing}, "cannot read " + missing},
		{"missing old file", []string{"diff", "--json", missing, files[0]}, "no such file"},
		{"directory", []string{"diff", filepath.Dir(files[0]), files[0]}, "is a directory"},
		{"no files", []string{"diff"}, "Usage: sanshen diff"},
		{"three files", []string{"diff", files[0], files[0], files[0]}, "Usage: sanshen diff"},
		{"bad flag", []string{"diff", "--colour", files[0], files[0]}, "flag provided but not defined"},
		{"bad colour", []string{"diff", "--color", "sometimes", files[0], files[0]}, "--color must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runSanshen(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
		})
	}
}

func TestDiffItemFormUsesHook(t *testing.T) {
	saved := diffItem
	t.Cleanup(func() { diffItem = saved })
	var got [][]string
	diffItem = func(ctx context.Context, e *env, args []string) int {
		got = append(got, args)
		return 7
	}
	for _, args := range [][]string{
		{"item-42", "--from", "1", "--to", "3"},
		{"item-42"},
		{"--from=2", "item-42"},
		{"--json", "item-42"},
	} {
		code, _, _ := runSanshen(t, append([]string{"diff"}, args...)...)
		if code != 7 {
			t.Errorf("%v: exit %d, want the hook's 7", args, code)
		}
		if last := got[len(got)-1]; !reflect.DeepEqual(last, args) {
			t.Errorf("hook got %v, want %v", last, args)
		}
	}
}
