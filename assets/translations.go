package assets

import "embed"

// Translations holds the UI's message files: translations/zh_Hans.json
// (the default) and translations/en.json, in the go-i18n JSON form that
// fyne.io/fyne/v2/lang reads. zh_Hans is what Fyne picks for zh_CN.
//
//go:embed translations/*.json
var Translations embed.FS
