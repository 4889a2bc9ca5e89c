package repl

import (
	"errors"
	"fmt"
)

// certPassphraseVar is the environment variable that gives the
// passphrase of an encrypted client key, for scripts.
const certPassphraseVar = "REQSH_CERT_PASSPHRASE"

// certPassphrase gives the session the passphrase of the encrypted
// client key keyFile: REQSH_CERT_PASSPHRASE when it is set, else asked
// without echo at the terminal. A script has no one to ask: the error
// says what to do instead. The passphrase is not kept: the session
// keeps the decrypted key.
func (sh *shell) certPassphrase(keyFile string) (string, error) {
	if p, ok := lookupEnv(sh.env, certPassphraseVar); ok {
		return p, nil
	}
	p, _, err := sh.askPassword(fmt.Sprintf("passphrase for %s: ", keyFile))
	if errors.Is(err, errNoTerminal) {
		return "", fmt.Errorf("a passphrase cannot be asked in a script: decrypt the key (openssl pkey -in KEY -out PLAIN.pem) or set %s", certPassphraseVar)
	}
	return p, err
}
