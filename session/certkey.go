package session

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Encrypted client keys come in two PEM forms: PKCS #8's "ENCRYPTED
// PRIVATE KEY" (what openssl genpkey -aes256 and openssl pkcs8 -topk8
// write) and OpenSSL's legacy "Proc-Type: 4,ENCRYPTED" headers (openssl
// genrsa -aes256 before 3.0, ssh-keygen -m PEM). Go's standard library
// reads only the second (x509.DecryptPEMBlock, deprecated because the
// format is weak, but still the one way). The first is decrypted here:
// PBES2 (RFC 8018) is PBKDF2 and a block cipher in CBC mode, and the
// standard library has both, so no module is needed for it (the
// usual one, github.com/youmark/pkcs8, brings golang.org/x/crypto for
// the same PBKDF2 and scrypt). PBES1 and PKCS #12's PBE schemes
// (OpenSSL 1.0's default for -topk8, without -v2) and scrypt are not
// read: the error names the scheme and how to convert the key.

// ErrWrongPassphrase is the error (within the one returned) for a
// passphrase that does not decrypt a client key.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// maxPBKDF2Iterations bounds the work a key file can ask for: OpenSSL
// writes 2048, password managers up to a few hundred thousand.
const maxPBKDF2Iterations = 10_000_000

// Object identifiers of PKCS #5 v2 (RFC 8018) and the ciphers it uses.
var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
)

// encryptedPrivateKeyInfo is PKCS #8's EncryptedPrivateKeyInfo.
type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

// pbes2Params are PBES2's parameters.
type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Cipher pkix.AlgorithmIdentifier
}

// pbkdf2Params are PBKDF2's parameters; the PRF defaults to HMAC-SHA1.
type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// pbes2Cipher is a cipher PBES2 may name: its key size and constructor.
type pbes2Cipher struct {
	keyLen int
	block  func([]byte) (cipher.Block, error)
}

// pbes2Ciphers are the ciphers read, by OID.
var pbes2Ciphers = map[string]pbes2Cipher{
	oidAES128CBC.String():  {16, aes.NewCipher},
	oidAES192CBC.String():  {24, aes.NewCipher},
	oidAES256CBC.String():  {32, aes.NewCipher},
	oidDESEDE3CBC.String(): {24, des.NewTripleDESCipher},
}

// pbkdf2Hashes are the PRFs read, by OID.
var pbkdf2Hashes = map[string]func() hash.Hash{
	oidHMACSHA1.String():   sha1.New,
	oidHMACSHA224.String(): sha256.New224,
	oidHMACSHA256.String(): sha256.New,
	oidHMACSHA384.String(): sha512.New384,
	oidHMACSHA512.String(): sha512.New,
}

// encryptedKeyBlock returns the first encrypted private key block of
// data, nil when it has none.
func encryptedKeyBlock(data []byte) *pem.Block {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" ||
			(strings.HasSuffix(b.Type, "PRIVATE KEY") && strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")) {
			return b
		}
	}
}

// decryptKeyBlock decrypts an encrypted private key block with
// passphrase and returns the key as a plain PEM block. A passphrase
// that does not decrypt it is ErrWrongPassphrase.
func decryptKeyBlock(b *pem.Block, passphrase string) (*pem.Block, error) {
	if b.Type == "ENCRYPTED PRIVATE KEY" {
		der, err := decryptPKCS8(b.Bytes, passphrase)
		if err != nil {
			return nil, err
		}
		return &pem.Block{Type: "PRIVATE KEY", Bytes: der}, nil
	}
	//lint:ignore SA1019 the legacy form has no other reader; it is read, never written
	der, err := x509.DecryptPEMBlock(b, []byte(passphrase))
	if errors.Is(err, x509.IncorrectPasswordError) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, err
	}
	// The format cannot always tell a wrong passphrase: the key then
	// does not parse.
	if !parsesAsKey(der) {
		return nil, ErrWrongPassphrase
	}
	return &pem.Block{Type: b.Type, Bytes: der}, nil
}

// parsesAsKey reports whether der is a private key in one of the
// encodings a PEM key block holds.
func parsesAsKey(der []byte) bool {
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return true
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return true
	}
	_, err := x509.ParsePKCS8PrivateKey(der)
	return err == nil
}

// decryptPKCS8 decrypts PKCS #8's EncryptedPrivateKeyInfo encrypted by
// PBES2 with PBKDF2 and AES-CBC or DES-EDE3-CBC, and returns the
// PrivateKeyInfo.
func decryptPKCS8(data []byte, passphrase string) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(data, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("invalid encrypted PKCS #8 key")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, fmt.Errorf("encryption scheme %s not supported (only PBES2): convert the key with openssl pkcs8 -topk8 -v2 aes256", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return nil, errors.New("invalid PBES2 parameters")
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("key derivation %s not supported (only PBKDF2): convert the key with openssl pkcs8 -topk8 -v2 aes256", params.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return nil, errors.New("invalid PBKDF2 parameters")
	}
	prf := sha1.New
	if len(kdf.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = pbkdf2Hashes[kdf.PRF.Algorithm.String()]; !ok {
			return nil, fmt.Errorf("PBKDF2 function %s not supported", kdf.PRF.Algorithm)
		}
	}
	c, ok := pbes2Ciphers[params.Cipher.Algorithm.String()]
	if !ok {
		return nil, fmt.Errorf("cipher %s not supported (AES-CBC or DES-EDE3-CBC): convert the key with openssl pkcs8 -topk8 -v2 aes256", params.Cipher.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Cipher.Parameters.FullBytes, &iv); err != nil {
		return nil, errors.New("invalid cipher parameters")
	}
	switch {
	case kdf.Iterations < 1 || kdf.Iterations > maxPBKDF2Iterations:
		return nil, fmt.Errorf("PBKDF2 iteration count %d out of range (1 to %d)", kdf.Iterations, maxPBKDF2Iterations)
	case kdf.KeyLength != 0 && kdf.KeyLength != c.keyLen:
		return nil, fmt.Errorf("PBKDF2 key length %d does not fit the cipher (%d)", kdf.KeyLength, c.keyLen)
	}
	key, err := pbkdf2.Key(prf, passphrase, kdf.Salt, kdf.Iterations, c.keyLen)
	if err != nil {
		return nil, err
	}
	block, err := c.block(key)
	if err != nil {
		return nil, err
	}
	bs := block.BlockSize()
	if len(iv) != bs || len(info.Data) == 0 || len(info.Data)%bs != 0 {
		return nil, errors.New("invalid encrypted PKCS #8 key: bad IV or data length")
	}
	plain := make([]byte, len(info.Data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, info.Data)
	plain, ok = unpad(plain, bs)
	if !ok {
		return nil, ErrWrongPassphrase
	}
	if _, err := x509.ParsePKCS8PrivateKey(plain); err != nil {
		return nil, ErrWrongPassphrase
	}
	return plain, nil
}

// unpad removes PKCS #7 padding; ok is false when there is none, which
// is what a wrong key gives (almost always).
func unpad(b []byte, blockSize int) ([]byte, bool) {
	n := int(b[len(b)-1])
	if n == 0 || n > blockSize || n > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}
