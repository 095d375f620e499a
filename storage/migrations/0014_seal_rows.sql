-- Sealed values are bound to their row (format 2, see storage/seal.go), and
-- the scale, choice and verdict of an answer are sealed too. The next start
-- with a key reseals every value of the older format, and the plain scales,
-- choices and verdicts: plaintext_left means "values not yet in the current
-- format" from now on.
UPDATE encryption SET plaintext_left = 1;

-- Once encryption is on, a sealed column takes NULL or a value sealed in the
-- current format with a key the database knows, whoever writes it: a Mend
-- started without the key, or one still sealing with a key a rekey has
-- retired, fails loudly instead of storing words nobody can read back.
-- Mend checks at start that these triggers are in place, as written here.

DROP TRIGGER IF EXISTS answers_sealed_on_insert;
DROP TRIGGER IF EXISTS answers_sealed_on_update;
DROP TRIGGER IF EXISTS commitments_sealed_on_insert;
DROP TRIGGER IF EXISTS commitments_sealed_on_update;
DROP TRIGGER IF EXISTS agreements_sealed_on_insert;
DROP TRIGGER IF EXISTS agreements_sealed_on_update;
DROP TRIGGER IF EXISTS boundaries_sealed_on_insert;
DROP TRIGGER IF EXISTS boundaries_sealed_on_update;
DROP TRIGGER IF EXISTS checkin_subjects_sealed_on_insert;
DROP TRIGGER IF EXISTS checkin_subjects_sealed_on_update;

CREATE TRIGGER answers_sealed_on_insert BEFORE INSERT ON answers
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.note IS NOT NULL AND (typeof(NEW.note) <> 'blob' OR substr(NEW.note, 1, 1) <> x'02' OR hex(substr(NEW.note, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.scale IS NOT NULL AND (typeof(NEW.scale) <> 'blob' OR substr(NEW.scale, 1, 1) <> x'02' OR hex(substr(NEW.scale, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.choice IS NOT NULL AND (typeof(NEW.choice) <> 'blob' OR substr(NEW.choice, 1, 1) <> x'02' OR hex(substr(NEW.choice, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.verdict IS NOT NULL AND (typeof(NEW.verdict) <> 'blob' OR substr(NEW.verdict, 1, 1) <> x'02' OR hex(substr(NEW.verdict, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER answers_sealed_on_update BEFORE UPDATE OF text, note, scale, choice, verdict ON answers
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.note IS NOT NULL AND (typeof(NEW.note) <> 'blob' OR substr(NEW.note, 1, 1) <> x'02' OR hex(substr(NEW.note, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.scale IS NOT NULL AND (typeof(NEW.scale) <> 'blob' OR substr(NEW.scale, 1, 1) <> x'02' OR hex(substr(NEW.scale, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.choice IS NOT NULL AND (typeof(NEW.choice) <> 'blob' OR substr(NEW.choice, 1, 1) <> x'02' OR hex(substr(NEW.choice, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))) OR (NEW.verdict IS NOT NULL AND (typeof(NEW.verdict) <> 'blob' OR substr(NEW.verdict, 1, 1) <> x'02' OR hex(substr(NEW.verdict, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER commitments_sealed_on_insert BEFORE INSERT ON commitments
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER commitments_sealed_on_update BEFORE UPDATE OF text ON commitments
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER agreements_sealed_on_insert BEFORE INSERT ON agreements
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER agreements_sealed_on_update BEFORE UPDATE OF text ON agreements
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER boundaries_sealed_on_insert BEFORE INSERT ON boundaries
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER boundaries_sealed_on_update BEFORE UPDATE OF text ON boundaries
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER checkin_subjects_sealed_on_insert BEFORE INSERT ON checkin_subjects
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

CREATE TRIGGER checkin_subjects_sealed_on_update BEFORE UPDATE OF text ON checkin_subjects
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;
