package repl

import (
	"fmt"

	"github.com/reqsh/reqsh/internal/curl"
)

// curlCmd prints the last request as a curl command line that sends the same
// request.
func (sh *shell) curlCmd([]string) error {
	resp, err := sh.lastResponse()
	if err != nil {
		return err
	}
	quote := curl.Quote
	if sh.outTerminal {
		// A command shown to be copied and pasted: nothing in it may
		// hide or reorder text.
		quote = curl.QuoteVisible
	}
	line, err := curl.Command(resp.Request, sh.sess.Options(), quote)
	if err != nil {
		return fmt.Errorf("curl: %w", err)
	}
	sh.println(line)
	return nil
}
