// Command sanshen is the Sanshen desktop client. With a subcommand it runs in
// command mode and opens no window; without one it starts the GUI.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "sanshen: not built yet")
	os.Exit(2)
}
