/* store.c: the SQLite store, which only this file touches: numbered
 * migrations, WAL with full sync, and every statement prepared with bound
 * parameters. */

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "event.h"
#include "nintei.h"
#include "state.h"
#include "store.h"

struct store {
	sqlite3		*db;
	GHashTable	*stmts;		/* SQL text -> sqlite3_stmt */
	int		 last;		/* last SQLite result code */
	char		*renewal_sql;	/* store_renewal_open's, from the
					   state table */
};

/* Stands in a migration for the quoted codes of every state of state.c's
 * table: the schema's list is written from the table, not copied. */
#define STORE_STATES	"@STATES@"

/* Each migration runs once, in order; user_version counts them. */
static const char *store_migrations[] = {
	/* 1: messages, cases, events, letters, attachments */
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  received_at TEXT NOT NULL,"
	"  origin TEXT,"
	"  sender TEXT NOT NULL,"
	"  sender_name TEXT,"
	"  recipients TEXT,"
	"  subject TEXT,"
	"  date TEXT,"
	"  in_reply_to TEXT,"
	"  refs TEXT,"
	"  size INTEGER NOT NULL,"
	"  raw_path TEXT NOT NULL,"
	"  disposition TEXT NOT NULL CHECK (disposition IN"
	"    ('case', 'unmatched', 'ignored', 'quarantined')),"
	"  reason TEXT NOT NULL,"
	"  case_id TEXT REFERENCES cases(id),"
	"  UNIQUE (message_id, sha256));"
	"CREATE TABLE attachments ("
	"  message INTEGER NOT NULL REFERENCES messages(id),"
	"  idx INTEGER NOT NULL,"
	"  parent INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  PRIMARY KEY (message, idx));"
	"CREATE TABLE cases ("
	"  id TEXT PRIMARY KEY,"
	"  year INTEGER NOT NULL,"
	"  serial INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  scheme TEXT,"
	"  kind TEXT,"
	"  company TEXT,"
	"  service TEXT,"
	"  contact_name TEXT,"
	"  contact_email TEXT,"
	"  applicant TEXT NOT NULL,"
	"  certification TEXT,"
	"  opened_at TEXT NOT NULL,"
	"  state_since TEXT NOT NULL,"
	"  UNIQUE (year, serial));"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT,"
	"  detail TEXT,"
	"  message INTEGER REFERENCES messages(id),"
	"  letter INTEGER REFERENCES letters(id));"
	"CREATE INDEX events_case ON events(case_id);"
	"CREATE TABLE letters ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  answers INTEGER REFERENCES messages(id),"
	"  rcpt TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"    ('queued', 'sent', 'failed', 'bounced')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt TEXT,"
	"  last_error TEXT,"
	"  sent_at TEXT);"
	"CREATE INDEX letters_case ON letters(case_id);"
	"CREATE INDEX letters_state ON letters(state, next_attempt);",

	/* 2: each check of a case's forms, its values and its problems */
	"CREATE TABLE revisions ("
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  n INTEGER NOT NULL,"
	"  message INTEGER REFERENCES messages(id),"
	"  created_at TEXT NOT NULL,"
	"  problems INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, n));"
	"CREATE TABLE items ("
	"  case_id TEXT NOT NULL,"
	"  revision INTEGER NOT NULL,"
	"  form TEXT NOT NULL CHECK (form IN ('application', 'disclosure')),"
	"  item TEXT NOT NULL,"
	"  label TEXT,"
	"  value TEXT,"
	"  normal TEXT,"
	"  PRIMARY KEY (case_id, revision, form, item),"
	"  FOREIGN KEY (case_id, revision) REFERENCES revisions(case_id, n));"
	"CREATE TABLE problems ("
	"  case_id TEXT NOT NULL,"
	"  revision INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  item TEXT,"
	"  label TEXT,"
	"  problem TEXT NOT NULL,"
	"  written TEXT,"
	"  hint TEXT,"
	"  PRIMARY KEY (case_id, revision, seq),"
	"  FOREIGN KEY (case_id, revision) REFERENCES revisions(case_id, n));",

	/* 3: certifications, made here or imported */
	"CREATE TABLE certifications ("
	"  number TEXT PRIMARY KEY,"
	"  scheme TEXT NOT NULL,"
	"  serial INTEGER NOT NULL,"
	"  first_yymm TEXT NOT NULL,"
	"  company TEXT,"
	"  service TEXT,"
	"  first_certified TEXT NOT NULL,"
	"  certified TEXT NOT NULL,"
	"  disclosed TEXT,"
	"  valid_until TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'valid' CHECK (state IN"
	"    ('valid', 'expired')),"
	"  contact_email TEXT,"
	"  applicant TEXT,"
	"  case_id TEXT REFERENCES cases(id),"
	"  reminded_first TEXT,"
	"  reminded_last TEXT,"
	"  imported INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (scheme, serial));",

	/* 4: screening: SPF with each message, quarantine release and drop,
	 * messages deferred by a temporary SPF error */
	"ALTER TABLE messages ADD COLUMN spf TEXT;"
	"ALTER TABLE messages ADD COLUMN held TEXT CHECK (held IN"
	"  ('released', 'dropped'));"
	"CREATE TABLE deferrals ("
	"  sha256 TEXT PRIMARY KEY,"
	"  runs INTEGER NOT NULL,"
	"  first TEXT NOT NULL,"
	"  reason TEXT NOT NULL);",

	/* 5: the letters each address got, so that the daily cap is an
	 * index lookup rather than a scan of every letter (a backlog of
	 * thousands of mails is polled in one run); messages by case, cases
	 * by state */
	"CREATE TABLE letter_rcpts ("
	"  letter INTEGER NOT NULL REFERENCES letters(id),"
	"  addr TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"WITH RECURSIVE split(letter, created_at, addr, rest) AS ("
	"  SELECT id, created_at, '', rcpt || ', ' FROM letters"
	"  UNION ALL"
	"  SELECT letter, created_at, substr(rest, 1, instr(rest, ', ') - 1),"
	"    substr(rest, instr(rest, ', ') + 2) FROM split WHERE rest <> '')"
	"INSERT INTO letter_rcpts (letter, addr, created_at)"
	"  SELECT letter, lower(addr), created_at FROM split WHERE addr <> '';"
	"CREATE INDEX letter_rcpts_addr ON letter_rcpts(addr, created_at);"
	"CREATE INDEX messages_case ON messages(case_id);"
	"CREATE INDEX cases_state ON cases(state);",

	/* 6: the fee of a case: the total billed (with tax) when the fee
	 * request went out, and what was paid so far (partial payments add
	 * up; more than billed is an excess for staff) */
	"ALTER TABLE cases ADD COLUMN fee_billed INTEGER;"
	"ALTER TABLE cases ADD COLUMN fee_paid INTEGER NOT NULL DEFAULT 0;",

	/* 7: letters held by the daily cap (never dropped), letters not
	 * rendered for a template error (their values kept until it is
	 * fixed), cancelled by staff, sent again; the CHECK of the states
	 * changes, so the table is made anew (foreign keys are off while
	 * migrations run) */
	"CREATE TABLE letters_new ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id TEXT REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  message_id TEXT NOT NULL UNIQUE,"
	"  answers INTEGER REFERENCES messages(id),"
	"  rcpt TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"    ('queued', 'held', 'sent', 'failed', 'bounced', 'cancelled')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt TEXT,"
	"  last_error TEXT,"
	"  sent_at TEXT,"
	"  held TEXT,"
	"  vars BLOB,"
	"  scheme TEXT,"
	"  resends INTEGER REFERENCES letters(id));"
	"INSERT INTO letters_new (id, case_id, kind, message_id, answers,"
	"  rcpt, subject, raw, created_at, state, attempts, next_attempt,"
	"  last_error, sent_at)"
	"  SELECT id, case_id, kind, message_id, answers, rcpt, subject, raw,"
	"  created_at, state, attempts, next_attempt, last_error, sent_at"
	"  FROM letters;"
	"DROP TABLE letters;"
	"ALTER TABLE letters_new RENAME TO letters;"
	"CREATE INDEX letters_case ON letters(case_id);"
	"CREATE INDEX letters_state ON letters(state, next_attempt);",

	/* 8: cases.state only one of the state table's codes (SQLite adds
	 * no CHECK to a table that exists: two triggers).  A new state in
	 * the table needs a migration that repeats this one. */
	"DROP TRIGGER IF EXISTS cases_state_insert;"
	"DROP TRIGGER IF EXISTS cases_state_update;"
	"CREATE TRIGGER cases_state_insert BEFORE INSERT ON cases"
	"  WHEN NEW.state NOT IN (" STORE_STATES ") BEGIN"
	"  SELECT RAISE(ABORT, 'cases.state: not a state of the table'); END;"
	"CREATE TRIGGER cases_state_update BEFORE UPDATE OF state ON cases"
	"  WHEN NEW.state NOT IN (" STORE_STATES ") BEGIN"
	"  SELECT RAISE(ABORT, 'cases.state: not a state of the table'); END;",

	/* 9: when a letter went on its way (queued when made, or when a
	 * held one was released or a failed one written after all): a
	 * letter is stuck when queued for long since then, not since it
	 * was made.  A letter queued now went on its way when it began to
	 * count against the cap. */
	"ALTER TABLE letters ADD COLUMN queued_at TEXT;"
	"UPDATE letters SET queued_at = (SELECT MAX(created_at) FROM "
	"  letter_rcpts WHERE letter = letters.id) WHERE state = 'queued';",
	NULL
};

/* A cached prepared statement, reset and with its bindings cleared. */
static sqlite3_stmt *
store_stmt(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*s = g_hash_table_lookup(st->stmts, sql);

	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	st->last = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (st->last != SQLITE_OK) {
		if (cause != NULL)
			*cause = g_strdup_printf("store: %s",
			    sqlite3_errmsg(st->db));
		return NULL;
	}
	g_hash_table_insert(st->stmts, (gpointer)sql, s);
	return s;
}

/* Runs a statement to completion; returns 0 or -1 with *cause. */
static int
store_done(struct store *st, sqlite3_stmt *s, char **cause)
{
	st->last = sqlite3_step(s);
	if (st->last == SQLITE_ROW)
		st->last = SQLITE_DONE;
	if (st->last != SQLITE_DONE) {
		if (cause != NULL)
			*cause = g_strdup_printf("store: %s",
			    sqlite3_errmsg(st->db));
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

static void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static char *
store_col(sqlite3_stmt *s, int i)
{
	const unsigned char	*t = sqlite3_column_text(s, i);

	return t != NULL ? g_strdup((const char *)t) : NULL;
}

/*
 * Test hook: NINTEI_FAULT_STORE=N makes the Nth read of the store in
 * this process (every read goes through store_found or store_rows)
 * fail as an unreadable store would (SQLITE_IOERR, a temporary
 * failure), NINTEI_FAULT_STORE=N:permanent as a broken one
 * (SQLITE_CORRUPT); a real SQLite file cannot fail one chosen read on
 * demand.  Returns the error to fake, or 0.
 */
static int
store_fault(void)
{
	static int	 reads;
	const char	*f = getenv("NINTEI_FAULT_STORE");

	if (f == NULL || atoi(f) != ++reads)
		return 0;
	return strstr(f, ":permanent") != NULL ? SQLITE_CORRUPT : SQLITE_IOERR;
}

/* Did the store's last step fail (a read or a write, for whatever
 * reason)?  What tells a failure of the store from a refusal of the
 * caller's own after a function that does both returned -1. */
int
store_failed(struct store *st)
{
	switch (st->last & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	}
	return 1;
}

/* Did the store's last step fail in a way waiting will not mend (a
 * constraint, a corrupt file, a bug), rather than busy, locked, full or
 * unreadable for now? */
int
store_failed_for_good(struct store *st)
{
	switch (st->last & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL:
	case SQLITE_NOMEM:
		return 0;
	}
	return 1;
}

/*
 * Steps a read: 1 with a row (the caller takes its columns, then resets
 * s), 0 when nothing matches, -1 with *cause when the read failed: a
 * failed read is never taken for "not found".  s NULL: the statement
 * could not be prepared.
 */
static int
store_found(struct store *st, sqlite3_stmt *s, char **cause)
{
	if (s == NULL) {
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if ((st->last = store_fault()) != 0) {
		sqlite3_reset(s);
		*cause = g_strdup_printf("store: %s (NINTEI_FAULT_STORE)",
		    sqlite3_errstr(st->last));
		return -1;
	}
	st->last = sqlite3_step(s);
	if (st->last == SQLITE_ROW)
		return 1;
	if (st->last != SQLITE_DONE)
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
	sqlite3_reset(s);
	return st->last == SQLITE_DONE ? 0 : -1;
}

/* Makes one row of a list from the statement's current row. */
typedef gpointer (*store_row_fn)(sqlite3_stmt *);

/*
 * Steps a read of many rows into out, each made by row: 0, or -1 with
 * *cause when the read failed (then out holds no partial list): a failed
 * read is never taken for an empty one.  s NULL: the statement could not
 * be prepared.
 */
static int
store_rows(struct store *st, sqlite3_stmt *s, GPtrArray *out,
    store_row_fn row, char **cause)
{
	if (s == NULL) {
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if ((st->last = store_fault()) != 0) {
		sqlite3_reset(s);
		*cause = g_strdup_printf("store: %s (NINTEI_FAULT_STORE)",
		    sqlite3_errstr(st->last));
		return -1;
	}
	while ((st->last = sqlite3_step(s)) == SQLITE_ROW)
		g_ptr_array_add(out, row(s));
	if (st->last != SQLITE_DONE) {
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
		sqlite3_reset(s);
		g_ptr_array_set_size(out, 0);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

/* Steps a read that yields one number: 1 with *n, 0 when no row (*n
 * untouched), -1 with *cause. */
static int
store_int(struct store *st, sqlite3_stmt *s, int *n, char **cause)
{
	int	r;

	if ((r = store_found(st, s, cause)) == 1) {
		*n = sqlite3_column_int(s, 0);
		sqlite3_reset(s);
	}
	return r;
}

/* Steps a read that yields one text: 1 with *t (a copy; NULL for a
 * NULL column), 0 when no row, -1 with *cause. */
static int
store_text(struct store *st, sqlite3_stmt *s, char **t, char **cause)
{
	int	r;

	*t = NULL;
	if ((r = store_found(st, s, cause)) == 1) {
		*t = store_col(s, 0);
		sqlite3_reset(s);
	}
	return r;
}

/* Runs plain SQL without parameters (migrations, pragmas). */
static int
store_exec(struct store *st, const char *sql, char **cause)
{
	char	*err = NULL;

	st->last = sqlite3_exec(st->db, sql, NULL, NULL, &err);
	if (st->last != SQLITE_OK) {
		*cause = g_strdup_printf("store: %s", err != NULL ? err :
		    sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* The schema's version: 0 with *v, or -1 with *cause. */
static int
store_version(struct store *st, int *v, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK) {
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	else
		*cause = g_strdup_printf("store: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : -1;
}

/* The SQL of the vth migration, the state table's codes written in. */
static char *
store_migration(int v)
{
	char	**parts, *states, *sql;

	if (strstr(store_migrations[v], STORE_STATES) == NULL)
		return g_strdup(store_migrations[v]);
	parts = g_strsplit(store_migrations[v], STORE_STATES, -1);
	states = state_list(-1, "'");
	sql = g_strjoinv(states, parts);
	g_free(states);
	g_strfreev(parts);
	return sql;
}

/* Brings the schema up to date, one migration per transaction. */
static int
store_migrate(struct store *st, char **cause)
{
	int	 v, n, r;
	char	*sql;

	for (n = 0; store_migrations[n] != NULL; n++)
		;
	if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	if (store_version(st, &v, cause) != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (v > n) {
		*cause = g_strdup_printf("store: schema version %d is newer "
		    "than this nintei (%d)", v, n);
		store_exec(st, "ROLLBACK", cause);
		return -1;
	}
	for (; v < n; v++) {
		sql = store_migration(v);
		r = store_exec(st, sql, cause);
		g_free(sql);
		if (r != 0) {
			sql = *cause;
			*cause = g_strdup_printf("migration %d: %s", v + 1,
			    sql);
			g_free(sql);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		sql = g_strdup_printf("PRAGMA user_version = %d", v + 1);
		if (store_exec(st, sql, cause) != 0) {
			g_free(sql);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		g_free(sql);
	}
	return store_exec(st, "COMMIT", cause);
}

static void
store_finalize(gpointer p)
{
	sqlite3_finalize(p);
}

struct store *
store_open(const char *path, int busy_ms, char **cause)
{
	struct store	*st = g_new0(struct store, 1);
	char		*states;

	st->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    store_finalize);
	st->last = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (st->last != SQLITE_OK) {
		*cause = g_strdup_printf("%s: %s", path, st->db != NULL ?
		    sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, busy_ms);
	/* Foreign keys on only after the migrations: one that makes a
	 * table anew drops the old one, which references must outlive. */
	if (store_exec(st, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    store_exec(st, "PRAGMA synchronous = FULL", cause) != 0 ||
	    store_migrate(st, cause) != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", cause) != 0) {
		store_close(st);
		return NULL;
	}
	states = state_list(1, "'");
	st->renewal_sql = g_strdup_printf("SELECT COUNT(*) FROM cases WHERE "
	    "certification = ?1 AND kind = 'renewal' AND state IN (%s)",
	    states);
	g_free(states);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	g_hash_table_destroy(st->stmts);
	if (st->db != NULL)
		sqlite3_close(st->db);
	g_free(st->renewal_sql);
	g_free(st);
}

int
store_begin(struct store *st, char **cause)
{
	return store_exec(st, "BEGIN IMMEDIATE", cause);
}

int
store_commit(struct store *st, char **cause)
{
	if (store_exec(st, "COMMIT", cause) != 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* One message of a group commit: a savepoint inside the transaction,
 * released once its outcome is written, or rolled back alone. */
int
store_savepoint(struct store *st, char **cause)
{
	return store_exec(st, "SAVEPOINT msg", cause);
}

int
store_release(struct store *st, char **cause)
{
	return store_exec(st, "RELEASE msg", cause);
}

void
store_rollback_savepoint(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK TO msg", NULL, NULL, NULL);
	sqlite3_exec(st->db, "RELEASE msg", NULL, NULL, NULL);
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The message recorded with this Message-ID and SHA-256: 1 with *id, 0
 * if none, -1 with *cause. */
int
store_message_find(struct store *st, const char *message_id,
    const char *sha, int64_t *id, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*id = 0;
	s = store_stmt(st, "SELECT id FROM messages WHERE message_id = ?1 "
	    "AND sha256 = ?2", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, message_id);
		store_bind_text(s, 2, sha);
	}
	if ((r = store_found(st, s, cause)) == 1) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return r;
}

int64_t
store_message_add(struct store *st, const struct msgrow *m, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT INTO messages (message_id, sha256, "
	    "received_at, origin, sender, sender_name, recipients, subject, "
	    "date, in_reply_to, refs, size, raw_path, disposition, reason, "
	    "case_id, spf) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, ?14, ?15, ?16, ?17)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->message_id);
	store_bind_text(s, 2, m->sha256);
	store_bind_text(s, 3, m->received_at);
	store_bind_text(s, 4, m->origin);
	store_bind_text(s, 5, m->sender != NULL ? m->sender : "");
	store_bind_text(s, 6, m->sender_name);
	store_bind_text(s, 7, m->recipients);
	store_bind_text(s, 8, m->subject);
	store_bind_text(s, 9, m->date);
	store_bind_text(s, 10, m->in_reply_to);
	store_bind_text(s, 11, m->refs);
	sqlite3_bind_int64(s, 12, m->size);
	store_bind_text(s, 13, m->raw_path);
	store_bind_text(s, 14, m->disposition);
	store_bind_text(s, 15, m->reason);
	store_bind_text(s, 16, m->case_id);
	store_bind_text(s, 17, m->spf);
	if (store_done(st, s, cause) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

#define STORE_MSG_COLS "id, message_id, sha256, received_at, origin, " \
	"sender, sender_name, recipients, subject, date, in_reply_to, refs, " \
	"size, raw_path, disposition, reason, case_id, spf, held"

static struct msgrow *
store_msgrow(sqlite3_stmt *s)
{
	struct msgrow	*m = g_new0(struct msgrow, 1);

	m->id = sqlite3_column_int64(s, 0);
	m->message_id = store_col(s, 1);
	m->sha256 = store_col(s, 2);
	m->received_at = store_col(s, 3);
	m->origin = store_col(s, 4);
	m->sender = store_col(s, 5);
	m->sender_name = store_col(s, 6);
	m->recipients = store_col(s, 7);
	m->subject = store_col(s, 8);
	m->date = store_col(s, 9);
	m->in_reply_to = store_col(s, 10);
	m->refs = store_col(s, 11);
	m->size = sqlite3_column_int64(s, 12);
	m->raw_path = store_col(s, 13);
	m->disposition = store_col(s, 14);
	m->reason = store_col(s, 15);
	m->case_id = store_col(s, 16);
	m->spf = store_col(s, 17);
	m->held = store_col(s, 18);
	return m;
}

static gpointer
store_msgrow_any(sqlite3_stmt *s)
{
	return store_msgrow(s);
}

/* Every message, oldest first; only one case's when case_id is set:
 * 0 with *out, or -1 with *cause. */
int
store_messages_read(struct store *st, const char *case_id, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(msgrow_free);
	if (case_id == NULL)
		s = store_stmt(st, "SELECT " STORE_MSG_COLS " FROM messages "
		    "ORDER BY id", NULL);
	else {
		s = store_stmt(st, "SELECT " STORE_MSG_COLS " FROM messages "
		    "WHERE case_id = ?1 ORDER BY id", NULL);
		if (s != NULL)
			store_bind_text(s, 1, case_id);
	}
	return store_rows(st, s, *out, store_msgrow_any, cause);
}


/*
 * The messages of a disposition still waiting for a person (not released
 * or dropped from quarantine), received since the time given (or ever
 * when NULL): how many in *count, and the newest limit of them in *out;
 * 0, or -1 with *cause.
 */
int
store_messages_recent(struct store *st, const char *disposition,
    const char *since, int limit, GPtrArray **out, int *count, char **cause)
{
	sqlite3_stmt	*s;

	*count = 0;
	*out = g_ptr_array_new_with_free_func(msgrow_free);
	s = store_stmt(st, "SELECT COUNT(*) FROM messages WHERE disposition = "
	    "?1 AND held IS NULL AND received_at >= COALESCE(?2, '')", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, disposition);
		store_bind_text(s, 2, since);
	}
	if (store_int(st, s, count, cause) < 0)
		return -1;
	s = store_stmt(st, "SELECT " STORE_MSG_COLS " FROM messages WHERE "
	    "disposition = ?1 AND held IS NULL AND received_at >= "
	    "COALESCE(?2, '') ORDER BY id DESC LIMIT ?3", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, disposition);
		store_bind_text(s, 2, since);
		sqlite3_bind_int(s, 3, limit);
	}
	return store_rows(st, s, *out, store_msgrow_any, cause);
}

/* The message of that id: 1 with *m, 0 if none, -1 with *cause. */
int
store_message_get(struct store *st, int64_t id, struct msgrow **m,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*m = NULL;
	s = store_stmt(st, "SELECT " STORE_MSG_COLS " FROM messages WHERE "
	    "id = ?1", NULL);
	if (s != NULL)
		sqlite3_bind_int64(s, 1, id);
	if ((r = store_found(st, s, cause)) == 1) {
		*m = store_msgrow(s);
		sqlite3_reset(s);
	}
	return r;
}

/*
 * Rewrites a recorded message's outcome (a quarantined message
 * released and processed again keeps its row: recorded once).
 */
int
store_message_redo(struct store *st, int64_t id, const char *disposition,
    const char *reason, const char *case_id, const char *held, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "UPDATE messages SET disposition = ?2, reason = ?3, "
	    "case_id = ?4, held = ?5 WHERE id = ?1", cause);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, disposition);
	store_bind_text(s, 3, reason);
	store_bind_text(s, 4, case_id);
	store_bind_text(s, 5, held);
	return store_done(st, s, cause);
}

/*
 * Counts one more run a message was left for (temporary SPF error);
 * returns the runs so far, or -1.  Committed on its own.
 */
int
store_deferral_bump(struct store *st, const char *sha, const char *now,
    const char *reason)
{
	sqlite3_stmt	*s;
	char		*cause = NULL;
	int		 runs;

	s = store_stmt(st, "INSERT INTO deferrals (sha256, runs, first, "
	    "reason) VALUES (?1, 1, ?2, ?3) ON CONFLICT (sha256) DO UPDATE "
	    "SET runs = runs + 1, reason = ?3", NULL);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, sha);
	store_bind_text(s, 2, now);
	store_bind_text(s, 3, reason);
	if (store_done(st, s, NULL) != 0)
		return -1;
	if (store_deferral_runs(st, sha, &runs, &cause) != 0) {
		g_free(cause);
		return -1;
	}
	return runs;
}

/* The runs a message was left for so far (0 if none): 0 with *runs, or
 * -1 with *cause. */
int
store_deferral_runs(struct store *st, const char *sha, int *runs,
    char **cause)
{
	sqlite3_stmt	*s;

	*runs = 0;
	s = store_stmt(st, "SELECT runs FROM deferrals WHERE sha256 = ?1",
	    NULL);
	if (s != NULL)
		store_bind_text(s, 1, sha);
	return store_int(st, s, runs, cause) < 0 ? -1 : 0;
}

/* Marks the letter with this Message-ID bounced; returns its case (new
 * string) through case_id, and 1 if found, 0 if not, -1 with *cause. */
int
store_letter_bounced(struct store *st, const char *message_id,
    char **case_id, char **kind, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*case_id = *kind = NULL;
	s = store_stmt(st, "SELECT case_id, kind FROM letters WHERE "
	    "message_id = ?1", NULL);
	if (s != NULL)
		store_bind_text(s, 1, message_id);
	if ((r = store_found(st, s, cause)) != 1)
		return r;
	*case_id = store_col(s, 0);
	*kind = store_col(s, 1);
	sqlite3_reset(s);
	s = store_stmt(st, "UPDATE letters SET state = 'bounced' WHERE "
	    "message_id = ?1", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, message_id);
	return store_done(st, s, cause) == 0 ? 1 : -1;
}

int
store_attachment_add(struct store *st, int64_t message,
    const struct attrow *a, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT INTO attachments (message, idx, parent, "
	    "name, type, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", cause);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, message);
	sqlite3_bind_int(s, 2, a->idx);
	sqlite3_bind_int(s, 3, a->parent);
	store_bind_text(s, 4, a->name);
	store_bind_text(s, 5, a->type);
	sqlite3_bind_int64(s, 6, a->size);
	return store_done(st, s, cause);
}

static gpointer
store_attrow(sqlite3_stmt *s)
{
	struct attrow	*a = g_new0(struct attrow, 1);

	a->idx = sqlite3_column_int(s, 0);
	a->parent = sqlite3_column_int(s, 1);
	a->name = store_col(s, 2);
	a->type = store_col(s, 3);
	a->size = sqlite3_column_int64(s, 4);
	return a;
}

/* A message's attachments, in order: 0 with *out, or -1 with *cause. */
int
store_attachments(struct store *st, int64_t message, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(attrow_free);
	s = store_stmt(st, "SELECT idx, parent, name, type, size FROM "
	    "attachments WHERE message = ?1 ORDER BY idx", NULL);
	if (s != NULL)
		sqlite3_bind_int64(s, 1, message);
	return store_rows(st, s, *out, store_attrow, cause);
}

/*
 * Opens a case numbered in the year given: the next serial of that year.
 * Sets *id to "2026-0001".
 */
int
store_case_new(struct store *st, int year, const struct caserow *c,
    char **id, char **cause)
{
	sqlite3_stmt	*s;
	int		 serial = 1;

	*id = NULL;
	s = store_stmt(st, "SELECT COALESCE(MAX(serial), 0) + 1 FROM cases "
	    "WHERE year = ?1", NULL);
	if (s != NULL)
		sqlite3_bind_int(s, 1, year);
	if (store_int(st, s, &serial, cause) < 0)
		return -1;
	*id = g_strdup_printf("%04d-%04d", year, serial);
	s = store_stmt(st, "INSERT INTO cases (id, year, serial, state, "
	    "scheme, kind, company, service, contact_name, contact_email, "
	    "applicant, certification, opened_at, state_since) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", cause);
	if (s == NULL)
		goto fail;
	store_bind_text(s, 1, *id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int(s, 3, serial);
	store_bind_text(s, 4, c->state);
	store_bind_text(s, 5, c->scheme);
	store_bind_text(s, 6, c->kind);
	store_bind_text(s, 7, c->company);
	store_bind_text(s, 8, c->service);
	store_bind_text(s, 9, c->contact_name);
	store_bind_text(s, 10, c->contact_email);
	store_bind_text(s, 11, c->applicant);
	store_bind_text(s, 12, c->certification);
	store_bind_text(s, 13, c->opened_at);
	store_bind_text(s, 14, c->state_since);
	if (store_done(st, s, cause) != 0)
		goto fail;
	return 0;
fail:
	g_free(*id);
	*id = NULL;
	return -1;
}

int
store_case_update(struct store *st, const struct caserow *c, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "UPDATE cases SET state = ?2, scheme = ?3, "
	    "kind = ?4, company = ?5, service = ?6, contact_name = ?7, "
	    "contact_email = ?8, certification = ?9, state_since = ?10 "
	    "WHERE id = ?1", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, c->id);
	store_bind_text(s, 2, c->state);
	store_bind_text(s, 3, c->scheme);
	store_bind_text(s, 4, c->kind);
	store_bind_text(s, 5, c->company);
	store_bind_text(s, 6, c->service);
	store_bind_text(s, 7, c->contact_name);
	store_bind_text(s, 8, c->contact_email);
	store_bind_text(s, 9, c->certification);
	store_bind_text(s, 10, c->state_since);
	return store_done(st, s, cause);
}

/* The fee of a case: *billed (-1 when no fee request recorded it) and
 * *paid (0 when nothing was paid): 1, 0 when there is no case, -1 with
 * *cause. */
int
store_case_fee(struct store *st, const char *id, int64_t *billed,
    int64_t *paid, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*billed = -1;
	*paid = 0;
	s = store_stmt(st, "SELECT fee_billed, fee_paid FROM cases "
	    "WHERE id = ?1", NULL);
	if (s != NULL)
		store_bind_text(s, 1, id);
	if ((r = store_found(st, s, cause)) == 1) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			*billed = sqlite3_column_int64(s, 0);
		*paid = sqlite3_column_int64(s, 1);
		sqlite3_reset(s);
	}
	return r;
}

/* Records the fee of a case: billed and paid (each -1: leave it). */
int
store_case_set_fee(struct store *st, const char *id, int64_t billed,
    int64_t paid, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "UPDATE cases SET fee_billed = CASE WHEN ?2 < 0 "
	    "THEN fee_billed ELSE ?2 END, fee_paid = CASE WHEN ?3 < 0 "
	    "THEN fee_paid ELSE ?3 END WHERE id = ?1",
	    cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, billed);
	sqlite3_bind_int64(s, 3, paid);
	return store_done(st, s, cause);
}

#define STORE_CASE_COLS "id, state, scheme, kind, company, service, " \
	"contact_name, contact_email, applicant, certification, opened_at, " \
	"state_since"

static struct caserow *
store_caserow(sqlite3_stmt *s)
{
	struct caserow	*c = g_new0(struct caserow, 1);

	c->id = store_col(s, 0);
	c->state = store_col(s, 1);
	c->scheme = store_col(s, 2);
	c->kind = store_col(s, 3);
	c->company = store_col(s, 4);
	c->service = store_col(s, 5);
	c->contact_name = store_col(s, 6);
	c->contact_email = store_col(s, 7);
	c->applicant = store_col(s, 8);
	c->certification = store_col(s, 9);
	c->opened_at = store_col(s, 10);
	c->state_since = store_col(s, 11);
	return c;
}

int
store_case_read(struct store *st, const char *id, struct caserow **c,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*c = NULL;
	s = store_stmt(st, "SELECT " STORE_CASE_COLS " FROM cases WHERE "
	    "id = ?1", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id);
	if ((r = store_found(st, s, cause)) == 1) {
		*c = store_caserow(s);
		sqlite3_reset(s);
	}
	return r;
}



static gpointer
store_caserow_any(sqlite3_stmt *s)
{
	return store_caserow(s);
}

/* The cases, oldest first; only those in state when state is set: 0
 * with *out, or -1 with *cause. */
int
store_cases(struct store *st, const char *state, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(caserow_free);
	if (state == NULL)
		s = store_stmt(st, "SELECT " STORE_CASE_COLS " FROM cases "
		    "ORDER BY year, serial", NULL);
	else {
		s = store_stmt(st, "SELECT " STORE_CASE_COLS " FROM cases "
		    "WHERE state = ?1 ORDER BY year, serial", NULL);
		if (s != NULL)
			store_bind_text(s, 1, state);
	}
	return store_rows(st, s, *out, store_caserow_any, cause);
}

/* Does a mail of the applicant wait for the secretariat's answer (an
 * "owed" event after the last letter staff wrote or "handled")?  0 with
 * *owed, or -1 with *cause. */
int
store_case_owed(struct store *st, const char *case_id, int *owed,
    char **cause)
{
	sqlite3_stmt	*s;

	*owed = 0;
	s = store_stmt(st, "SELECT EXISTS (SELECT 1 FROM events WHERE "
	    "case_id = ?1 AND kind = ?2 AND id > (SELECT coalesce(max(id), "
	    "0) FROM events WHERE case_id = ?1 AND kind IN (?3, ?4)))", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, case_id);
		store_bind_text(s, 2, event_name(EVENT_OWED));
		store_bind_text(s, 3, event_name(EVENT_LETTER_WRITTEN));
		store_bind_text(s, 4, event_name(EVENT_HANDLED));
	}
	return store_int(st, s, owed, cause) < 0 ? -1 : 0;
}

/* The cases whose applicant or contact is the address: 0 with *out, or
 * -1 with *cause. */
int
store_cases_of_sender_read(struct store *st, const char *address,
    GPtrArray **out, char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(caserow_free);
	s = store_stmt(st, "SELECT " STORE_CASE_COLS " FROM cases WHERE "
	    "applicant = ?1 COLLATE NOCASE OR contact_email = ?1 COLLATE "
	    "NOCASE ORDER BY year, serial", NULL);
	if (s != NULL)
		store_bind_text(s, 1, address);
	return store_rows(st, s, *out, store_caserow_any, cause);
}

int64_t
store_event_add(struct store *st, const struct eventrow *e, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT INTO events (case_id, at, actor, kind, "
	    "from_state, to_state, detail, message, letter) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, e->case_id);
	store_bind_text(s, 2, e->at);
	store_bind_text(s, 3, e->actor);
	store_bind_text(s, 4, e->kind);
	store_bind_text(s, 5, e->from_state);
	store_bind_text(s, 6, e->to_state);
	store_bind_text(s, 7, e->detail);
	if (e->message > 0)
		sqlite3_bind_int64(s, 8, e->message);
	if (e->letter > 0)
		sqlite3_bind_int64(s, 9, e->letter);
	if (store_done(st, s, cause) != 0)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

#define STORE_EVENT_COLS "id, case_id, at, actor, kind, from_state, " \
	"to_state, detail, COALESCE(message, 0), COALESCE(letter, 0)"

static gpointer
store_eventrow(sqlite3_stmt *s)
{
	struct eventrow	*e = g_new0(struct eventrow, 1);

	e->id = sqlite3_column_int64(s, 0);
	e->case_id = store_col(s, 1);
	e->at = store_col(s, 2);
	e->actor = store_col(s, 3);
	e->kind = store_col(s, 4);
	e->from_state = store_col(s, 5);
	e->to_state = store_col(s, 6);
	e->detail = store_col(s, 7);
	e->message = sqlite3_column_int64(s, 8);
	e->letter = sqlite3_column_int64(s, 9);
	return e;
}

/* Steps s to its end into a new *out, one eventrow per row
 * (STORE_EVENT_COLS): 0, or -1 with *cause. */
static int
store_eventrows(struct store *st, sqlite3_stmt *s, GPtrArray **out,
    char **cause)
{
	*out = g_ptr_array_new_with_free_func(eventrow_free);
	return store_rows(st, s, *out, store_eventrow, cause);
}

/* A case's history, oldest first: 0 with *out, or -1 with *cause. */
int
store_events(struct store *st, const char *case_id, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_EVENT_COLS " FROM events WHERE "
	    "case_id = ?1 ORDER BY id", NULL);
	if (s != NULL)
		store_bind_text(s, 1, case_id);
	return store_eventrows(st, s, out, cause);
}

/* The latest event of every case: 0 with *out, or -1 with *cause. */
int
store_events_latest(struct store *st, GPtrArray **out, char **cause)
{
	return store_eventrows(st, store_stmt(st, "SELECT " STORE_EVENT_COLS
	    " FROM events WHERE id IN (SELECT MAX(id) FROM events GROUP BY "
	    "case_id) ORDER BY id", NULL), out, cause);
}

/* Every transition into state, of any case, oldest first: 0 with *out,
 * or -1 with *cause. */
int
store_events_into(struct store *st, const char *state, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_EVENT_COLS " FROM events WHERE "
	    "kind = ?2 AND to_state = ?1 ORDER BY id", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, state);
		store_bind_text(s, 2, event_name(EVENT_STATE));
	}
	return store_eventrows(st, s, out, cause);
}

/* Keeps each address of a letter's rcpt (", "-separated) for the cap. */
static int
store_letter_rcpts(struct store *st, int64_t id, const char *rcpt,
    const char *at, char **cause)
{
	sqlite3_stmt	*s;
	char		**addrs;
	size_t		 i;
	int		 r = 0;

	addrs = g_strsplit(rcpt != NULL ? rcpt : "", ", ", -1);
	for (i = 0; addrs[i] != NULL && r == 0; i++) {
		if (*addrs[i] == '\0')
			continue;
		s = store_stmt(st, "INSERT INTO letter_rcpts (letter, addr, "
		    "created_at) VALUES (?1, lower(?2), ?3)", cause);
		if (s == NULL) {
			r = -1;
			break;
		}
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, addrs[i]);
		store_bind_text(s, 3, at);
		r = store_done(st, s, cause);
	}
	g_strfreev(addrs);
	return r;
}

int64_t
store_letter_add(struct store *st, const struct letterrow *l, char **cause)
{
	sqlite3_stmt	*s;
	gsize		 len;
	const void	*data;
	int64_t		 id;

	s = store_stmt(st, "INSERT INTO letters (case_id, kind, message_id, "
	    "answers, rcpt, subject, raw, created_at, state, next_attempt, "
	    "held, vars, scheme, resends, last_error, queued_at) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, COALESCE(?9, 'queued'), ?8, ?10, ?11, "
	    "?12, ?13, ?14, CASE WHEN COALESCE(?9, 'queued') = 'queued' THEN "
	    "?8 END)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, l->case_id);
	store_bind_text(s, 2, l->kind);
	store_bind_text(s, 3, l->message_id);
	if (l->answers > 0)
		sqlite3_bind_int64(s, 4, l->answers);
	store_bind_text(s, 5, l->rcpt);
	store_bind_text(s, 6, l->subject);
	data = g_bytes_get_data(l->raw, &len);
	sqlite3_bind_blob(s, 7, data, (int)len, SQLITE_TRANSIENT);
	store_bind_text(s, 8, l->created_at);
	store_bind_text(s, 9, l->state);
	store_bind_text(s, 10, l->held);
	if (l->vars != NULL) {
		data = g_bytes_get_data(l->vars, &len);
		sqlite3_bind_blob(s, 11, data, (int)len, SQLITE_TRANSIENT);
	}
	store_bind_text(s, 12, l->scheme);
	if (l->resends > 0)
		sqlite3_bind_int64(s, 13, l->resends);
	store_bind_text(s, 14, l->last_error);
	if (store_done(st, s, cause) != 0)
		return -1;
	id = sqlite3_last_insert_rowid(st->db);
	/* Only a letter on its way counts against the daily cap. */
	if (l->state != NULL && strcmp(l->state, "queued") != 0)
		return id;
	return store_letter_rcpts(st, id, l->rcpt, l->created_at, cause) != 0 ?
	    -1 : id;
}

/* When a letter went on its way (older rows: when it was made). */
#define STORE_QUEUED_AT "COALESCE(queued_at, created_at)"

#define STORE_LETTER_COLS "id, case_id, kind, message_id, " \
	"COALESCE(answers, 0), rcpt, subject, raw, created_at, state, " \
	"attempts, next_attempt, last_error, sent_at, held, vars, scheme, " \
	"COALESCE(resends, 0), " STORE_QUEUED_AT

static struct letterrow *
store_letterrow(sqlite3_stmt *s)
{
	struct letterrow	*l = g_new0(struct letterrow, 1);

	l->id = sqlite3_column_int64(s, 0);
	l->case_id = store_col(s, 1);
	l->kind = store_col(s, 2);
	l->message_id = store_col(s, 3);
	l->answers = sqlite3_column_int64(s, 4);
	l->rcpt = store_col(s, 5);
	l->subject = store_col(s, 6);
	l->raw = g_bytes_new(sqlite3_column_blob(s, 7),
	    (gsize)sqlite3_column_bytes(s, 7));
	l->created_at = store_col(s, 8);
	l->state = store_col(s, 9);
	l->attempts = sqlite3_column_int64(s, 10);
	l->next_attempt = store_col(s, 11);
	l->last_error = store_col(s, 12);
	l->sent_at = store_col(s, 13);
	l->held = store_col(s, 14);
	if (sqlite3_column_type(s, 15) == SQLITE_BLOB)
		l->vars = g_bytes_new(sqlite3_column_blob(s, 15),
		    (gsize)sqlite3_column_bytes(s, 15));
	l->scheme = store_col(s, 16);
	l->resends = sqlite3_column_int64(s, 17);
	l->queued_at = store_col(s, 18);
	return l;
}

static gpointer
store_letterrow_any(sqlite3_stmt *s)
{
	return store_letterrow(s);
}

/* Steps s to its end into a new *out, one letterrow per row
 * (STORE_LETTER_COLS): 0, or -1 with *cause. */
static int
store_letterrows(struct store *st, sqlite3_stmt *s, GPtrArray **out,
    char **cause)
{
	*out = g_ptr_array_new_with_free_func(letterrow_free);
	return store_rows(st, s, *out, store_letterrow_any, cause);
}

/* One case's letters, or all of them when case_id is NULL: 0 with *out,
 * or -1 with *cause. */
int
store_letters_read(struct store *st, const char *case_id, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(letterrow_free);
	if (case_id == NULL)
		s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters "
		    "ORDER BY id", NULL);
	else {
		s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters "
		    "WHERE case_id = ?1 ORDER BY id", NULL);
		if (s != NULL)
			store_bind_text(s, 1, case_id);
	}
	return store_rows(st, s, *out, store_letterrow_any, cause);
}

/* The newest limit letters not delivered (queued, held, failed,
 * bounced; not those staff cancelled): 0 with *out, or -1 with *cause. */
int
store_letters_undelivered(struct store *st, int limit, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "state NOT IN ('sent', 'cancelled') ORDER BY id DESC LIMIT ?1",
	    NULL);
	if (s != NULL)
		sqlite3_bind_int(s, 1, limit);
	return store_letterrows(st, s, out, cause);
}

/*
 * Queued letters whose next attempt is due at now (ISO, UTC), by id: at
 * most max of those after the id after, so that a long queue is read a
 * page at a time; 0 with *out, or -1 with *cause.
 */
int
store_letters_due(struct store *st, const char *now, int64_t after, int max,
    GPtrArray **out, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "state = 'queued' AND (next_attempt IS NULL OR next_attempt <= ?1) "
	    "AND id > ?2 ORDER BY id LIMIT ?3", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, now);
		sqlite3_bind_int64(s, 2, after);
		sqlite3_bind_int(s, 3, max);
	}
	return store_letterrows(st, s, out, cause);
}

/* The letter s yields: 1 with *l, 0 if none, -1 with *cause. */
static int
store_letter_one(struct store *st, sqlite3_stmt *s, struct letterrow **l,
    char **cause)
{
	int	r;

	*l = NULL;
	if ((r = store_found(st, s, cause)) == 1) {
		*l = store_letterrow(s);
		sqlite3_reset(s);
	}
	return r;
}

/* The letter of that id: 1 with *l, 0 if none, -1 with *cause. */
int
store_letter_get(struct store *st, int64_t id, struct letterrow **l,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "id = ?1", NULL);
	if (s != NULL)
		sqlite3_bind_int64(s, 1, id);
	return store_letter_one(st, s, l, cause);
}

/* The letter with this Message-ID (without <>): 1 with *l, 0 if none,
 * -1 with *cause. */
int
store_letter_by_message_id(struct store *st, const char *message_id,
    struct letterrow **l, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "message_id = ?1", NULL);
	if (s != NULL)
		store_bind_text(s, 1, message_id);
	return store_letter_one(st, s, l, cause);
}

/*
 * Letters in a state (every letter when state is NULL), by id: at most
 * limit (all when 0) of those after the id after; 0 with *out, or -1
 * with *cause.
 */
int
store_letters_in(struct store *st, const char *state, int64_t after,
    int limit, GPtrArray **out, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "(?1 IS NULL OR state = ?1) AND id > ?2 ORDER BY id LIMIT ?3",
	    NULL);
	if (s != NULL) {
		store_bind_text(s, 1, state);
		sqlite3_bind_int64(s, 2, after);
		sqlite3_bind_int(s, 3, limit > 0 ? limit : -1);
	}
	return store_letterrows(st, s, out, cause);
}

/* A held letter goes on its way: queued now, and counted against the
 * daily cap from now. */
int
store_letter_admit(struct store *st, int64_t id, const char *now,
    char **cause)
{
	sqlite3_stmt	*s;
	char		*rcpt;
	int		 r;

	s = store_stmt(st, "SELECT rcpt FROM letters WHERE id = ?1", NULL);
	if (s != NULL)
		sqlite3_bind_int64(s, 1, id);
	if ((r = store_text(st, s, &rcpt, cause)) < 0)
		return -1;
	if (r == 0 || rcpt == NULL) {
		*cause = g_strdup_printf("store: no letter %" G_GINT64_FORMAT,
		    id);
		return -1;
	}
	s = store_stmt(st, "UPDATE letters SET state = 'queued', held = NULL, "
	    "next_attempt = ?2, queued_at = ?2 WHERE id = ?1", cause);
	if (s == NULL) {
		g_free(rcpt);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, now);
	if (store_done(st, s, cause) != 0 ||
	    store_letter_rcpts(st, id, rcpt, now, cause) != 0) {
		g_free(rcpt);
		return -1;
	}
	g_free(rcpt);
	return 0;
}

/*
 * A letter not rendered before is rendered now: its subject and bytes
 * kept, its values no longer; it waits as held (with the reason) when
 * held is set, else it is queued and counts against the cap.
 */
int
store_letter_rendered(struct store *st, int64_t id, const char *subject,
    GBytes *raw, const char *held, const char *now, char **cause)
{
	sqlite3_stmt	*s;
	gsize		 len;
	const void	*data;

	s = store_stmt(st, "UPDATE letters SET subject = ?2, raw = ?3, "
	    "vars = NULL, last_error = NULL, state = 'held', held = ?4 "
	    "WHERE id = ?1", cause);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, subject);
	data = g_bytes_get_data(raw, &len);
	sqlite3_bind_blob(s, 3, data, (int)len, SQLITE_TRANSIENT);
	store_bind_text(s, 4, held);
	if (store_done(st, s, cause) != 0)
		return -1;
	return held != NULL ? 0 : store_letter_admit(st, id, now, cause);
}

/* Staff cancel a letter not sent: it will never go, for the reason
 * given. */
int
store_letter_cancel(struct store *st, int64_t id, const char *reason,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "UPDATE letters SET state = 'cancelled', held = "
	    "NULL, next_attempt = NULL, last_error = ?2 WHERE id = ?1 AND "
	    "state IN ('queued', 'held', 'failed', 'bounced')", cause);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, reason);
	return store_done(st, s, cause);
}

/* Queued letters on their way since before the time given (ISO, UTC):
 * stuck; 0 with *out, or -1 with *cause. */
int
store_letters_stuck(struct store *st, const char *before, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "SELECT " STORE_LETTER_COLS " FROM letters WHERE "
	    "state = 'queued' AND " STORE_QUEUED_AT " < ?1 ORDER BY id", NULL);
	if (s != NULL)
		store_bind_text(s, 1, before);
	return store_letterrows(st, s, out, cause);
}

/* How many letters are in the state given, on their way since before
 * the time given (ISO, UTC) when it is not NULL: 0 with *n, or -1 with
 * *cause. */
int
store_letters_count(struct store *st, const char *state, const char *before,
    int *n, char **cause)
{
	sqlite3_stmt	*s;

	*n = 0;
	s = store_stmt(st, "SELECT COUNT(*) FROM letters WHERE state = ?1 AND "
	    "(?2 IS NULL OR " STORE_QUEUED_AT " < ?2)", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, state);
		store_bind_text(s, 2, before);
	}
	return store_int(st, s, n, cause) < 0 ? -1 : 0;
}

/*
 * Records a delivery attempt: state "sent" (with the time), "queued" with
 * the next attempt time and the error, or "failed" with the error.
 */
int
store_letter_done(struct store *st, int64_t id, const char *state,
    const char *when, const char *error, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "UPDATE letters SET state = ?2, attempts = "
	    "attempts + 1, sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at "
	    "END, next_attempt = CASE WHEN ?2 = 'queued' THEN ?3 ELSE NULL END, "
	    "last_error = ?4 WHERE id = ?1", cause);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, state);
	store_bind_text(s, 3, when);
	store_bind_text(s, 4, error);
	return store_done(st, s, cause);
}

/* The newest case of this sender (applicant or contact) waiting for a
 * password since the time given, or NULL. */
/* The newest case of this sender waiting for a password since the time
 * given: 1 with *id, 0 if none, -1 with *cause. */
int
store_case_awaiting_password(struct store *st, const char *sender,
    const char *since, char **id, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*id = NULL;
	s = store_stmt(st, "SELECT id FROM cases WHERE state = ?3 AND "
	    "state_since >= ?2 AND (lower(applicant) = lower(?1) OR "
	    "lower(contact_email) = lower(?1)) ORDER BY year DESC, serial DESC "
	    "LIMIT 1", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, sender);
	store_bind_text(s, 2, since);
	store_bind_text(s, 3, STATE_AWAITING_PASSWORD);
	if ((r = store_found(st, s, cause)) == 1) {
		*id = store_col(s, 0);
		sqlite3_reset(s);
	}
	return r;
}

/* Is a renewal of this certification under way (a case not closed)? 0
 * with *open, or -1 with *cause. */
int
store_renewal_open(struct store *st, const char *number, int *open,
    char **cause)
{
	sqlite3_stmt	*s;

	*open = 0;
	s = store_stmt(st, st->renewal_sql, NULL);
	if (s != NULL)
		store_bind_text(s, 1, number);
	if (store_int(st, s, open, cause) < 0)
		return -1;
	*open = *open > 0;
	return 0;
}

/* The case of the letter with this Message-ID, or NULL. */
int
store_case_by_letter_read(struct store *st, const char *message_id,
    char **case_id, char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*case_id = NULL;
	s = store_stmt(st, "SELECT case_id FROM letters WHERE message_id = ?1",
	    cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, message_id);
	if ((r = store_found(st, s, cause)) == 1) {
		*case_id = store_col(s, 0);
		sqlite3_reset(s);
		/* A letter of no case (a reminder of an import). */
		if (*case_id == NULL)
			r = 0;
	}
	return r;
}


/* How many letters went to addr (in rcpt) since the time given: 0 with
 * *n, or -1 with *cause. */
int
store_letters_to_since(struct store *st, const char *addr, const char *since,
    int *n, char **cause)
{
	sqlite3_stmt	*s;

	*n = 0;
	s = store_stmt(st, "SELECT COUNT(DISTINCT letter) FROM letter_rcpts "
	    "WHERE addr = lower(?1) AND created_at > ?2", NULL);
	if (s != NULL) {
		store_bind_text(s, 1, addr);
		store_bind_text(s, 2, since);
	}
	return store_int(st, s, n, cause) < 0 ? -1 : 0;
}

int
store_revision_add(struct store *st, const char *case_id, int64_t message,
    int problems, const char *at, int *n, char **cause)
{
	sqlite3_stmt	*s;

	*n = 1;
	s = store_stmt(st, "SELECT COALESCE(MAX(n), 0) + 1 FROM revisions "
	    "WHERE case_id = ?1", NULL);
	if (s != NULL)
		store_bind_text(s, 1, case_id);
	if (store_int(st, s, n, cause) < 0)
		return -1;
	s = store_stmt(st, "INSERT INTO revisions (case_id, n, message, "
	    "created_at, problems) VALUES (?1, ?2, ?3, ?4, ?5)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, case_id);
	sqlite3_bind_int(s, 2, *n);
	if (message > 0)
		sqlite3_bind_int64(s, 3, message);
	store_bind_text(s, 4, at);
	sqlite3_bind_int(s, 5, problems);
	return store_done(st, s, cause);
}

int
store_item_add(struct store *st, const char *case_id, int revision,
    const struct itemrow *it, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT OR IGNORE INTO items (case_id, revision, "
	    "form, item, label, value, normal) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, case_id);
	sqlite3_bind_int(s, 2, revision);
	store_bind_text(s, 3, it->form);
	store_bind_text(s, 4, it->item);
	store_bind_text(s, 5, it->label);
	store_bind_text(s, 6, it->value);
	store_bind_text(s, 7, it->normal);
	return store_done(st, s, cause);
}

int
store_problem_add(struct store *st, const char *case_id, int revision,
    int seq, const struct problemrow *p, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT INTO problems (case_id, revision, seq, "
	    "item, label, problem, written, hint) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, case_id);
	sqlite3_bind_int(s, 2, revision);
	sqlite3_bind_int(s, 3, seq);
	store_bind_text(s, 4, p->item);
	store_bind_text(s, 5, p->label);
	store_bind_text(s, 6, p->problem);
	store_bind_text(s, 7, p->written);
	store_bind_text(s, 8, p->hint);
	return store_done(st, s, cause);
}

static gpointer
store_problemrow(sqlite3_stmt *s)
{
	struct problemrow	*p = g_new0(struct problemrow, 1);

	p->item = store_col(s, 0);
	p->label = store_col(s, 1);
	p->problem = store_col(s, 2);
	p->written = store_col(s, 3);
	p->hint = store_col(s, 4);
	return p;
}

/* The problems of the case's latest revision: 0 with *out, or -1 with
 * *cause. */
int
store_problems(struct store *st, const char *case_id, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(problemrow_free);
	s = store_stmt(st, "SELECT item, label, problem, written, hint FROM "
	    "problems WHERE case_id = ?1 AND revision = (SELECT MAX(n) FROM "
	    "revisions WHERE case_id = ?1) ORDER BY seq", NULL);
	if (s != NULL)
		store_bind_text(s, 1, case_id);
	return store_rows(st, s, *out, store_problemrow, cause);
}

static gpointer
store_itemrow(sqlite3_stmt *s)
{
	struct itemrow	*it = g_new0(struct itemrow, 1);

	it->form = store_col(s, 0);
	it->item = store_col(s, 1);
	it->label = store_col(s, 2);
	it->value = store_col(s, 3);
	it->normal = store_col(s, 4);
	return it;
}

/* The values of the case's latest revision, 申請書 first: 0 with *out,
 * or -1 with *cause. */
int
store_items(struct store *st, const char *case_id, GPtrArray **out,
    char **cause)
{
	sqlite3_stmt	*s;

	*out = g_ptr_array_new_with_free_func(itemrow_free);
	s = store_stmt(st, "SELECT form, item, label, value, normal FROM items "
	    "WHERE case_id = ?1 AND revision = (SELECT MAX(n) FROM revisions "
	    "WHERE case_id = ?1) ORDER BY form, rowid", NULL);
	if (s != NULL)
		store_bind_text(s, 1, case_id);
	return store_rows(st, s, *out, store_itemrow, cause);
}

#define STORE_CERT_COLS "number, scheme, serial, first_yymm, company, " \
	"service, first_certified, certified, disclosed, valid_until, state, " \
	"contact_email, applicant, case_id, reminded_first, reminded_last, " \
	"imported"

static struct certrow *
store_certrow(sqlite3_stmt *s)
{
	struct certrow	*c = g_new0(struct certrow, 1);

	c->number = store_col(s, 0);
	c->scheme = store_col(s, 1);
	c->serial = sqlite3_column_int(s, 2);
	c->first_yymm = store_col(s, 3);
	c->company = store_col(s, 4);
	c->service = store_col(s, 5);
	c->first_certified = store_col(s, 6);
	c->certified = store_col(s, 7);
	c->disclosed = store_col(s, 8);
	c->valid_until = store_col(s, 9);
	c->state = store_col(s, 10);
	c->contact_email = store_col(s, 11);
	c->applicant = store_col(s, 12);
	c->case_id = store_col(s, 13);
	c->reminded_first = store_col(s, 14);
	c->reminded_last = store_col(s, 15);
	c->imported = sqlite3_column_int(s, 16);
	return c;
}

/* The next serial of a scheme: one more than any made or imported; 0
 * with *serial, or -1 with *cause. */
int
store_cert_next_serial(struct store *st, const char *scheme, int *serial,
    char **cause)
{
	sqlite3_stmt	*s;

	*serial = 1;
	s = store_stmt(st, "SELECT COALESCE(MAX(serial), 0) + 1 FROM "
	    "certifications WHERE scheme = ?1", NULL);
	if (s != NULL)
		store_bind_text(s, 1, scheme);
	return store_int(st, s, serial, cause) < 0 ? -1 : 0;
}

/* Adds a certification, or replaces the one of that number. */
int
store_cert_put(struct store *st, const struct certrow *c, char **cause)
{
	sqlite3_stmt	*s;

	s = store_stmt(st, "INSERT OR REPLACE INTO certifications ("
	    STORE_CERT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, c->number);
	store_bind_text(s, 2, c->scheme);
	sqlite3_bind_int(s, 3, c->serial);
	store_bind_text(s, 4, c->first_yymm);
	store_bind_text(s, 5, c->company);
	store_bind_text(s, 6, c->service);
	store_bind_text(s, 7, c->first_certified);
	store_bind_text(s, 8, c->certified);
	store_bind_text(s, 9, c->disclosed);
	store_bind_text(s, 10, c->valid_until);
	store_bind_text(s, 11, c->state != NULL ? c->state : CERT_VALID);
	store_bind_text(s, 12, c->contact_email);
	store_bind_text(s, 13, c->applicant);
	store_bind_text(s, 14, c->case_id);
	store_bind_text(s, 15, c->reminded_first);
	store_bind_text(s, 16, c->reminded_last);
	sqlite3_bind_int(s, 17, c->imported);
	return store_done(st, s, cause);
}

int
store_cert_read(struct store *st, const char *number, struct certrow **c,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 r;

	*c = NULL;
	s = store_stmt(st, "SELECT " STORE_CERT_COLS " FROM certifications "
	    "WHERE number = ?1", cause);
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	if ((r = store_found(st, s, cause)) == 1) {
		*c = store_certrow(s);
		sqlite3_reset(s);
	}
	return r;
}


static gpointer
store_certrow_any(sqlite3_stmt *s)
{
	return store_certrow(s);
}

/* Every certification, by scheme and serial: 0 with *out, or -1 with
 * *cause. */
int
store_certs(struct store *st, GPtrArray **out, char **cause)
{
	*out = g_ptr_array_new_with_free_func(certrow_free);
	return store_rows(st, store_stmt(st, "SELECT " STORE_CERT_COLS
	    " FROM certifications ORDER BY scheme, serial", NULL), *out,
	    store_certrow_any, cause);
}

void
problemrow_free(gpointer p)
{
	struct problemrow	*r = p;

	if (r == NULL)
		return;
	g_free(r->item);
	g_free(r->label);
	g_free(r->problem);
	g_free(r->written);
	g_free(r->hint);
	g_free(r);
}

void
itemrow_free(gpointer p)
{
	struct itemrow	*r = p;

	if (r == NULL)
		return;
	g_free(r->form);
	g_free(r->item);
	g_free(r->label);
	g_free(r->value);
	g_free(r->normal);
	g_free(r);
}

void
certrow_free(gpointer p)
{
	struct certrow	*c = p;

	if (c == NULL)
		return;
	g_free(c->number);
	g_free(c->scheme);
	g_free(c->first_yymm);
	g_free(c->company);
	g_free(c->service);
	g_free(c->first_certified);
	g_free(c->certified);
	g_free(c->disclosed);
	g_free(c->valid_until);
	g_free(c->state);
	g_free(c->contact_email);
	g_free(c->applicant);
	g_free(c->case_id);
	g_free(c->reminded_first);
	g_free(c->reminded_last);
	g_free(c);
}

void
msgrow_free(gpointer p)
{
	struct msgrow	*m = p;

	if (m == NULL)
		return;
	g_free(m->message_id);
	g_free(m->sha256);
	g_free(m->received_at);
	g_free(m->origin);
	g_free(m->sender);
	g_free(m->sender_name);
	g_free(m->recipients);
	g_free(m->subject);
	g_free(m->date);
	g_free(m->in_reply_to);
	g_free(m->refs);
	g_free(m->raw_path);
	g_free(m->disposition);
	g_free(m->reason);
	g_free(m->case_id);
	g_free(m->spf);
	g_free(m->held);
	g_free(m);
}

void
caserow_free(gpointer p)
{
	struct caserow	*c = p;

	if (c == NULL)
		return;
	g_free(c->id);
	g_free(c->state);
	g_free(c->scheme);
	g_free(c->kind);
	g_free(c->company);
	g_free(c->service);
	g_free(c->contact_name);
	g_free(c->contact_email);
	g_free(c->applicant);
	g_free(c->certification);
	g_free(c->opened_at);
	g_free(c->state_since);
	g_free(c);
}

void
eventrow_free(gpointer p)
{
	struct eventrow	*e = p;

	if (e == NULL)
		return;
	g_free(e->case_id);
	g_free(e->at);
	g_free(e->actor);
	g_free(e->kind);
	g_free(e->from_state);
	g_free(e->to_state);
	g_free(e->detail);
	g_free(e);
}

void
letterrow_free(gpointer p)
{
	struct letterrow	*l = p;

	if (l == NULL)
		return;
	g_free(l->case_id);
	g_free(l->kind);
	g_free(l->message_id);
	g_free(l->rcpt);
	g_free(l->subject);
	if (l->raw != NULL)
		g_bytes_unref(l->raw);
	g_free(l->created_at);
	g_free(l->state);
	g_free(l->next_attempt);
	g_free(l->last_error);
	g_free(l->sent_at);
	g_free(l->held);
	if (l->vars != NULL)
		g_bytes_unref(l->vars);
	g_free(l->scheme);
	g_free(l->queued_at);
	g_free(l);
}

void
attrow_free(gpointer p)
{
	struct attrow	*a = p;

	if (a == NULL)
		return;
	g_free(a->name);
	g_free(a->type);
	g_free(a);
}
