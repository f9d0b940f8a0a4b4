package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoLocaleNoiseUnderC runs the command mode under the C locale, as CI
// and containers do: Fyne's initialisation must not log locale errors.
func TestNoLocaleNoiseUnderC(t *testing.T) {
	bin := sanshenBinary(t)
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", ""} {
		cmd := exec.Command(bin, "--config-dir", t.TempDir(), "outbox", "--json")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LANGUAGE=") && !strings.HasPrefix(kv, "LC_") {
				env = append(env, kv)
			}
		}
		if lang != "" {
			env = append(env, "LANG="+lang)
		}
		cmd.Env = env
		out, _ := cmd.CombinedOutput()
		if strings.Contains(string(out), "Fyne error") || strings.Contains(string(out), "locale") {
			t.Errorf("LANG=%q: %s", lang, out)
		}
	}
}
