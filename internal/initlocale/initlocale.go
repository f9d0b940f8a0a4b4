// Package initlocale gives Fyne a locale it can parse when the process runs
// under the C or POSIX locale (LANG=C.UTF-8 in containers and CI): Fyne's
// translation package reads the locale while the program is being
// initialised and logs "Error parsing user locale C" on every run.
//
// Import it for its side effect, from the main package. It imports only the
// standard library's os, so Go's initialisation order (packages sorted by
// import path, each once its imports are done) runs it before Fyne's
// translation package, which waits for text/template. It sets LANGUAGE only
// when no usable locale is set; the GUI picks its own language later
// (ui.SetupLanguage) and the command mode reads LC_ALL, LC_MESSAGES and LANG.
package initlocale

import "os"

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch s := os.Getenv(v); {
		case s == "":
			continue
		case s == "C" || s == "POSIX" || len(s) > 2 && (s[:2] == "C." || s[:2] == "C@"):
			os.Setenv("LANGUAGE", "en")
			return
		default:
			return
		}
	}
	os.Setenv("LANGUAGE", "en")
}
