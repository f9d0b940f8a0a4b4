// Package ui holds Sanshen's Fyne screens and widgets. It is the only package
// that touches widgets; it talks to the server only through package client.
package ui
