// Command sanshend is the Sanshen review server.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "sanshend: not built yet")
	os.Exit(2)
}
