-- A forget is finished only when the deleted pages are gone from the
-- write-ahead log as well, and emptying the log has to wait for any other
-- reader of the file (a console, a backup) to let go. Each row is a forget
-- whose log has not been emptied since; it is recorded with the delete, so a
-- restart still finishes it. It names no couple: what was forgotten is not
-- kept, not even who.
CREATE TABLE pending_wipes (
    id INTEGER PRIMARY KEY
);
