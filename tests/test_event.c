/* test_event.c: the table of a case's events: every kind has its name and
 * its words for staff, the one-line text of the views, and every event a
 * day of work writes to the store is one the table knows. */

#include <string.h>

#include <sqlite3.h>

#include "testutil.h"
#include "event.h"
#include "store.h"

/* Names are unique and each kind has words; a name not in the table has
 * none. */
static void
test_event_table(void **state)
{
	GHashTable	*seen = g_hash_table_new(g_str_hash, g_str_equal);
	int		 k;

	(void)state;
	for (k = EVENT_OPENED; k <= EVENT_LETTER_RESENT; k++) {
		const char	*name = event_name((enum event_kind)k);

		assert_non_null(name);
		assert_false(g_hash_table_contains(seen, name));
		g_hash_table_add(seen, (gpointer)name);
		assert_non_null(event_label(name));
	}
	assert_string_equal(event_name(EVENT_LETTER_HELD), "letter_held");
	assert_string_equal(event_label("password_failed"),
	    "パスワードで開けません");
	assert_null(event_label("lost"));
	assert_null(event_label(NULL));
	g_hash_table_destroy(seen);
}

/* The line staff read: a state change by its labels, a letter by its
 * title, the rest as words：detail, a person named, an unknown kind by
 * its name. */
static void
test_event_text(void **state)
{
	struct eventrow	 e;
	char		*t;

	(void)state;
	memset(&e, 0, sizeof e);
	e.actor = (char *)"nintei";
	e.kind = (char *)"state";
	e.from_state = (char *)"awaiting_fee";
	e.to_state = (char *)"under_review";
	e.detail = (char *)"入金確認";
	t = event_text(&e);
	assert_string_equal(t, "入金待ち → 審査中：入金確認");
	g_free(t);

	e.from_state = e.to_state = NULL;
	e.kind = (char *)"letter";
	e.detail = (char *)"fee";
	t = event_text(&e);
	assert_string_equal(t, "文書：審査手数料のご請求");
	g_free(t);

	e.kind = (char *)"handled";
	e.detail = (char *)"電話で回答済み";
	e.actor = (char *)"sato";
	t = event_text(&e);
	assert_string_equal(t, "対応済み：電話で回答済み（sato）");
	g_free(t);

	e.kind = (char *)"opened";
	e.detail = (char *)"申請受付";
	e.actor = NULL;
	t = event_text(&e);
	assert_string_equal(t, "申請受付");
	g_free(t);

	e.kind = (char *)"from_a_newer_nintei";
	e.detail = NULL;
	t = event_text(&e);
	assert_string_equal(t, "from_a_newer_nintei");
	g_free(t);
}

/* A day of work: applications polled, staff's payment, note,
 * approval and rejection; every kind of event in the store is in the
 * table. */
static void
test_event_store(void **state)
{
	char		*dir = tu_tmpdir("event"), *conf, *inbox, *db;
	const char	*kind;
	sqlite3		*sq;
	sqlite3_stmt	*st;
	GHashTable	*kinds = g_hash_table_new_full(g_str_hash, g_str_equal,
			    g_free, NULL);
	static const enum event_kind want[] = { EVENT_OPENED, EVENT_STATE,
			    EVENT_LETTER, EVENT_NOTE };
	size_t		 i;

	(void)state;
	g_setenv("NINTEI_NOW", "2026-11-25T10:15:00", TRUE);
	conf = tu_spool(dir, "[fee]\nbank = 三井住友銀行 本店 普通 7654321\n"
	    "receipt = yes\n");
	inbox = g_build_filename(dir, "inbox", "new", NULL);
	g_mkdir_with_parents(inbox, 0755);
	tu_run_mkforms("samples", inbox, NULL);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "poll", NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "paid",
	    "2026-0001", NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "approve",
	    "2026-0001", "--by", "tanaka", NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "note",
	    "2026-0002", "電話で確認済み", NULL), 0);
	assert_int_equal(tu_nintei(conf, NULL, NULL, NULL, "reject",
	    "2026-0004", "--reason", "基準を満たしていません", NULL), 0);

	db = g_build_filename(dir, "spool", "nintei.db", NULL);
	assert_int_equal(sqlite3_open(db, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT DISTINCT kind FROM "
	    "events", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(st, 0);
		if (event_label(kind) == NULL)
			fail_msg("event kind %s is not in the table", kind);
		g_hash_table_add(kinds, g_strdup(kind));
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		if (!g_hash_table_contains(kinds, event_name(want[i])))
			fail_msg("no %s event in the store",
			    event_name(want[i]));
	}
	g_hash_table_destroy(kinds);
	tu_rm_rf(dir);
	g_free(db);
	g_free(inbox);
	g_free(conf);
	g_free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_table),
		cmocka_unit_test(test_event_text),
		cmocka_unit_test(test_event_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
