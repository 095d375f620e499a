package bot

import (
	"bytes"
	"os"
	"testing"

	"mend/storage"
)

// Mend on Discord works the same on an encrypted database, including one
// that was plain until a key was given, and the file never holds what
// partners wrote in the clear.
func TestACheckInOnAnEncryptedDatabaseIsRevealedAndNoWordIsOnDisk(t *testing.T) {
	f := newCheckIn(t)
	key, err := storage.ParseKey(storage.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	if f.keys, err = storage.NewKeyring(key); err != nil {
		t.Fatal(err)
	}
	f.restart()

	a := f.begin(alice)
	a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 4}.String())
	a.press(actChoice, "1")
	a.write(actWrite, map[string]string{"text": "I felt alone on Sunday"})
	a.press(actVerdict)
	a.write(actNote, map[string]string{"note": "we talked about the card"})
	a.write(actWrite, map[string]string{"text": "Call my sister"})
	a.press(actSend)
	a.shows("Done")
	b := f.begin(bob)
	b.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 2}.String())
	b.press(actChoice, "2")
	b.press(actSkip)
	b.press(actVerdict)
	b.press(actVerdict)
	b.press(actSkip)
	b.press(actSend)

	reveal := f.revealOf()
	mustContain(t, "the reveal", messageText(reveal), "Alice: I felt alone on Sunday", "Alice: Kept", "Alice: Kept: we talked about the card", "Alice: Call my sister")
	for _, name := range []string{f.dbPath, f.dbPath + "-wal"} {
		data, err := os.ReadFile(name)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, words := range []string{"I felt alone on Sunday", "we talked about the card", "Call my sister", "Home by 7 pm on weekdays", "We are open about money"} {
			if bytes.Contains(data, []byte(words)) {
				t.Errorf("%s holds %q in the clear", name, words)
			}
		}
	}
}
