package ui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"

	"sanshen/assets"
)

// SetupLanguage loads the UI's translations and picks the language: choice
// "en" (or any "en…") for English, anything else for Simplified Chinese, the
// default whatever the system locale says. Call it once, before the first
// window is built.
func SetupLanguage(choice string) error {
	if strings.HasPrefix(strings.ToLower(choice), "en") {
		os.Setenv("LANGUAGE", "en")
	} else {
		os.Setenv("LANGUAGE", "zh_CN")
	}
	return lang.AddTranslationsFS(assets.Translations, "translations")
}

// tr returns the translation of key; fallback (English) is used when a
// message file lacks it. Keep keys in both message files (a test checks).
func tr(key, fallback string, data ...any) string { return lang.X(key, fallback, data...) }
