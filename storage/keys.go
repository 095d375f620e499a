package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of an encryption key: AES-256.
const KeySize = 32

// Key is one AES-256-GCM key for the text partners wrote. Its id is stored
// with every value it seals, so a database can hold values of several keys
// while they are rotated.
type Key struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
}

const keyIDSize = 4

// GenerateKey returns a new random key, encoded as ParseKey reads it.
func GenerateKey() string {
	raw := make([]byte, KeySize)
	// crypto/rand.Read does not fail: it crashes the program rather than
	// hand out a predictable key.
	rand.Read(raw)
	return base64.StdEncoding.EncodeToString(raw)
}

// ParseKey reads a key written as base64 of 32 bytes. Its error never
// repeats the text it was given: that text may be a key.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		// A key pasted from a URL-safe tool is the same key.
		if raw, err = base64.URLEncoding.DecodeString(s); err != nil {
			return nil, errors.New("the key is not base64 (make one with: mend keygen)")
		}
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("the key is %d bytes long, want %d (make one with: mend keygen)", len(raw), KeySize)
	}
	return newKey(raw)
}

func newKey(raw []byte) (*Key, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("set up the key: %w", err)
	}
	// A nonce drawn at random for every value: a counter would have to be
	// shared by every process that writes the file, and could repeat after
	// a backup is restored.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("set up the key: %w", err)
	}
	k := &Key{aead: aead}
	// The id is derived from the key, so nobody has to name keys, and it
	// says nothing usable about the key: 32 bits of a hash of 256 random ones.
	sum := sha256.Sum256(append([]byte("mend key id\x00"), raw...))
	copy(k.id[:], sum[:keyIDSize])
	return k, nil
}

// ID is the key's id as shown in logs and messages: safe to show, it is not
// the key.
func (k *Key) ID() string { return hex.EncodeToString(k.id[:]) }

// Keyring is the key that seals what is written now and the older keys that
// can still open what they sealed.
type Keyring struct {
	current *Key
	byID    map[[keyIDSize]byte]*Key
}

// NewKeyring returns a keyring that seals with current and opens with current
// and old.
func NewKeyring(current *Key, old ...*Key) (*Keyring, error) {
	if current == nil {
		return nil, errors.New("a keyring needs a current key")
	}
	kr := &Keyring{current: current, byID: map[[keyIDSize]byte]*Key{current.id: current}}
	for _, k := range old {
		if k == nil {
			continue
		}
		// Two different keys with one id would make values of one look
		// like tampered values of the other.
		if prev, ok := kr.byID[k.id]; ok && prev != k && !sameKey(prev, k) {
			return nil, fmt.Errorf("two of the keys given share the id %s; make a new key with mend keygen", k.ID())
		}
		kr.byID[k.id] = k
	}
	return kr, nil
}

// sameKey reports whether two parsed keys are the same key: a key given both
// as the current key and as an old one is harmless.
func sameKey(a, b *Key) bool {
	probe := a.aead.Seal(nil, nil, []byte("probe"), nil)
	_, err := b.aead.Open(nil, nil, probe, nil)
	return err == nil
}

// Current returns the id of the key that seals new values.
func (kr *Keyring) Current() string { return kr.current.ID() }

// has reports whether the keyring holds the key with the hex id; no
// keyring holds none.
func (kr *Keyring) has(id string) bool {
	if kr == nil {
		return false
	}
	raw, err := hex.DecodeString(id)
	if err != nil || len(raw) != keyIDSize {
		return false
	}
	_, ok := kr.byID[[keyIDSize]byte(raw)]
	return ok
}
