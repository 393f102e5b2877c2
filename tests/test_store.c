/* test_store.c: the SQLite store: migrations, one record per message,
 * case numbers per year, the letter queue and the letters per address. */

#include <string.h>

#include <sqlite3.h>

#include "testutil.h"
#include "nintei.h"
#include "store.h"

static void
test_store(void **state)
{
	struct store	*st;
	struct msgrow	 m;
	struct caserow	 c;
	struct letterrow l;
	GPtrArray	*due, *cases;
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*dir, *path, *cause = NULL, *id = NULL, *other = NULL;
	int64_t		 mid, found;
	int		 n;

	(void)state;
	dir = tu_tmpdir("store");
	path = g_build_filename(dir, "nintei.db", NULL);
	st = store_open(path, 1000, &cause);
	if (st == NULL)
		fail_msg("%s", cause);

	/* One record per Message-ID and content. */
	memset(&m, 0, sizeof m);
	m.message_id = (char *)"a@example.jp";
	m.sha256 = (char *)"00ff";
	m.received_at = (char *)"2026-11-25T01:00:00Z";
	m.sender = (char *)"a@example.jp";
	m.raw_path = (char *)"raw/00/00ff.eml";
	m.disposition = (char *)"unmatched";
	m.reason = (char *)"test";
	assert_int_equal(store_message_find(st, "a@example.jp", "00ff", &found,
	    &cause), 0);
	mid = store_message_add(st, &m, &cause);
	assert_true(mid > 0);
	assert_int_equal(store_message_find(st, "a@example.jp", "00ff", &found,
	    &cause), 1);
	assert_int_equal(found, mid);
	assert_int_equal(store_message_add(st, &m, &cause), -1);
	assert_non_null(strstr(cause, "UNIQUE"));
	g_free(cause);
	cause = NULL;
	m.sha256 = (char *)"00fe";	/* same id, other bytes: recorded */
	assert_true(store_message_add(st, &m, &cause) > mid);
	m.disposition = (char *)"lost";	/* not a disposition */
	m.sha256 = (char *)"00fd";
	assert_int_equal(store_message_add(st, &m, &cause), -1);
	g_free(cause);
	cause = NULL;

	/* Case numbers count per year. */
	memset(&c, 0, sizeof c);
	c.state = (char *)"received";
	c.applicant = (char *)"a@example.jp";
	c.opened_at = c.state_since = (char *)"2026-11-25T01:00:00Z";
	assert_int_equal(store_case_new(st, 2026, &c, &id, &cause), 0);
	assert_string_equal(id, "2026-0001");
	g_free(id);
	assert_int_equal(store_case_new(st, 2026, &c, &id, &cause), 0);
	assert_string_equal(id, "2026-0002");
	g_free(id);
	assert_int_equal(store_case_new(st, 2027, &c, &id, &cause), 0);
	assert_string_equal(id, "2027-0001");
	assert_int_equal(store_cases(st, "received", &cases, &cause), 0);
	assert_int_equal(cases->len, 3);
	g_ptr_array_free(cases, TRUE);

	/* A state not in the table is refused, new or updated. */
	c.state = (char *)"lost";
	assert_int_equal(store_case_new(st, 2026, &c, &other, &cause), -1);
	assert_non_null(strstr(cause, "not a state of the table"));
	g_free(cause);
	cause = NULL;
	c.id = id;
	assert_int_equal(store_case_update(st, &c, &cause), -1);
	assert_non_null(strstr(cause, "not a state of the table"));
	g_free(cause);
	cause = NULL;
	c.state = (char *)"expired";
	assert_int_equal(store_case_update(st, &c, &cause), 0);
	c.state = (char *)"received";
	c.id = NULL;

	/* The queue: due letters, then sent. */
	memset(&l, 0, sizeof l);
	l.case_id = id;
	l.kind = (char *)"ack";
	l.message_id = (char *)"nintei.ack.1@example.org";
	l.rcpt = (char *)"a@example.jp";
	l.subject = (char *)"s";
	l.raw = g_bytes_new_static("x", 1);
	l.created_at = (char *)"2026-11-25T01:00:00Z";
	assert_true(store_letter_add(st, &l, &cause) > 0);
	assert_int_equal(store_letters_to_since(st, "A@example.jp",
	    "2026-11-24T01:00:00Z", &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_letters_to_since(st, "a@example.jp",
	    "2026-11-26T01:00:00Z", &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_letters_due(st, "2026-11-25T02:00:00Z", 0, 100,
	    &due, &cause), 0);
	assert_int_equal(due->len, 1);
	assert_int_equal(store_letter_done(st, ((struct letterrow *)
	    g_ptr_array_index(due, 0))->id, "sent", "2026-11-25T02:00:00Z",
	    NULL, &cause), 0);
	g_ptr_array_free(due, TRUE);
	assert_int_equal(store_letters_due(st, "2026-11-25T02:00:00Z", 0, 100,
	    &due, &cause), 0);
	assert_int_equal(due->len, 0);
	g_ptr_array_free(due, TRUE);
	assert_int_equal(store_case_by_letter_read(st, l.message_id, &other,
	    &cause), 1);
	assert_string_equal(other, id);
	g_free(other);
	g_bytes_unref(l.raw);
	g_free(id);
	store_close(st);

	/* Reopening migrates nothing twice; WAL is on. */
	st = store_open(path, 1000, &cause);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) >= 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
	tu_rm_rf(dir);
	g_free(path);
	g_free(dir);
}

/* Adds a letter to rcpt at the time given; returns its id. */
static int64_t
add_letter(struct store *st, int n, const char *rcpt, const char *at)
{
	struct letterrow	 l;
	char			*mid, *cause = NULL;
	int64_t			 id;

	memset(&l, 0, sizeof l);
	l.kind = (char *)"ack";
	mid = g_strdup_printf("nintei.ack.%d@example.org", n);
	l.message_id = mid;
	l.rcpt = (char *)rcpt;
	l.subject = (char *)"s";
	l.raw = g_bytes_new_static("x", 1);
	l.created_at = (char *)at;
	id = store_letter_add(st, &l, &cause);
	if (id <= 0)
		fail_msg("%s", cause);
	g_bytes_unref(l.raw);
	g_free(mid);
	return id;
}

/* What the daily cap counts for the letters test_store_letters adds. */
static void
count_letters(struct store *st)
{
	static const struct {
		const char	*addr;
		const char	*since;
		int		 n;
	} want[] = {
		{ "b@example.jp", "2026-11-24T01:00:00Z", 1 },
		{ "B@example.jp", "2026-11-20T01:00:00Z", 2 },
		{ "a@example.jp", "2026-11-20T01:00:00Z", 1 },
		{ "c@example.jp", "2026-11-20T01:00:00Z", 248 },
		{ "example.jp", "2026-11-20T01:00:00Z", 0 },
	};
	size_t	i;
	char	*cause = NULL;
	int	 n;

	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		assert_int_equal(store_letters_to_since(st, want[i].addr,
		    want[i].since, &n, &cause), 0);
		assert_int_equal(n, want[i].n);
	}
}

/*
 * The daily cap counts letters by address (each address of rcpt, in any
 * case, whole), also those queued before the store had that index; the
 * queue is read a page at a time.
 */
static void
test_store_letters(void **state)
{
	struct store	*st;
	GPtrArray	*due;
	sqlite3		*db;
	char		*dir, *path, *cause = NULL;
	int64_t		 after = 0;
	int		 i, pages[4] = { 100, 100, 50, 0 };

	(void)state;
	dir = tu_tmpdir("store-letters");
	path = g_build_filename(dir, "nintei.db", NULL);
	if ((st = store_open(path, 1000, &cause)) == NULL)
		fail_msg("%s", cause);
	add_letter(st, 0, "a@example.jp, B@Example.JP",
	    "2026-11-25T01:00:00Z");
	add_letter(st, 1, "b@example.jp", "2026-11-23T01:00:00Z");
	for (i = 2; i < 250; i++)
		add_letter(st, i, "c@example.jp", "2026-11-25T01:00:00Z");
	count_letters(st);
	for (i = 0; i < 4; i++) {
		assert_int_equal(store_letters_due(st, "2026-11-25T02:00:00Z",
		    after, 100, &due, &cause), 0);
		assert_int_equal(due->len, pages[i]);
		if (due->len > 0)
			after = ((struct letterrow *)g_ptr_array_index(due,
			    due->len - 1))->id;
		g_ptr_array_free(due, TRUE);
	}
	store_close(st);

	/* A store from before the index: migrated, the letters counted. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE letter_rcpts; DROP "
	    "INDEX messages_case; DROP INDEX cases_state; "
	    "ALTER TABLE cases DROP COLUMN fee_billed; "
	    "ALTER TABLE cases DROP COLUMN fee_paid; PRAGMA "
	    "user_version = 4", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if ((st = store_open(path, 1000, &cause)) == NULL)
		fail_msg("%s", cause);
	count_letters(st);
	store_close(st);
	tu_rm_rf(dir);
	g_free(path);
	g_free(dir);
}

/* The ids of the letters stuck before the time given, "1 2". */
static char *
stuck_ids(struct store *st, const char *before)
{
	GPtrArray	*rows;
	GString		*ids = g_string_new(NULL);
	char		*cause = NULL;
	int		 n;
	guint		 i;

	assert_int_equal(store_letters_stuck(st, before, &rows, &cause), 0);
	for (i = 0; i < rows->len; i++)
		g_string_append_printf(ids, "%s%" G_GINT64_FORMAT,
		    i > 0 ? " " : "", ((struct letterrow *)
		    g_ptr_array_index(rows, i))->id);
	assert_int_equal(store_letters_count(st, "queued", before, &n,
	    &cause), 0);
	assert_int_equal(n, (int)rows->len);
	g_ptr_array_free(rows, TRUE);
	return g_string_free(ids, FALSE);
}

/*
 * A letter is stuck when it stayed queued long after it went on its way:
 * made queued, or released from the cap later (then counted from its
 * release), also in a store from before that was recorded.
 */
static void
test_store_stuck(void **state)
{
	struct store		*st;
	struct letterrow	 l;
	sqlite3			*db;
	char			*dir, *path, *cause = NULL, *ids;
	int64_t			 held;

	(void)state;
	dir = tu_tmpdir("store-stuck");
	path = g_build_filename(dir, "nintei.db", NULL);
	if ((st = store_open(path, 1000, &cause)) == NULL)
		fail_msg("%s", cause);
	assert_int_equal(add_letter(st, 0, "a@example.jp",
	    "2026-11-20T01:00:00Z"), 1);
	memset(&l, 0, sizeof l);
	l.kind = (char *)"fee";
	l.message_id = (char *)"nintei.fee.1@example.org";
	l.rcpt = (char *)"a@example.jp";
	l.subject = (char *)"s";
	l.raw = g_bytes_new_static("x", 1);
	l.created_at = (char *)"2026-11-20T01:00:00Z";
	l.state = (char *)"held";
	l.held = (char *)"cap";
	held = store_letter_add(st, &l, &cause);
	assert_int_equal(held, 2);
	g_bytes_unref(l.raw);
	ids = stuck_ids(st, "2026-11-24T01:00:00Z");
	assert_string_equal(ids, "1");
	g_free(ids);
	assert_int_equal(store_letter_admit(st, held, "2026-11-25T01:00:00Z",
	    &cause), 0);
	ids = stuck_ids(st, "2026-11-24T01:00:00Z");
	assert_string_equal(ids, "1");
	g_free(ids);
	ids = stuck_ids(st, "2026-11-26T02:00:00Z");
	assert_string_equal(ids, "1 2");
	g_free(ids);
	store_close(st);

	/* A store from before queued_at: the release time is that of its
	 * count against the cap. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE letters DROP COLUMN "
	    "queued_at; PRAGMA user_version = 8", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	if ((st = store_open(path, 1000, &cause)) == NULL)
		fail_msg("%s", cause);
	ids = stuck_ids(st, "2026-11-24T01:00:00Z");
	assert_string_equal(ids, "1");
	g_free(ids);
	store_close(st);
	tu_rm_rf(dir);
	g_free(path);
	g_free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_store_letters),
		cmocka_unit_test(test_store_stuck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
