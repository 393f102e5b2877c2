/* report.c: the secretariat's dashboard: one self-contained HTML page
 * (inline CSS and SVG, no script, nothing fetched from elsewhere) built
 * from the store, written atomically for a web server or a file share. */

#include <errno.h>
#include <string.h>

#include "case.h"
#include "cert.h"
#include "certs.h"
#include "check.h"
#include "conf.h"
#include "event.h"
#include "html.h"
#include "letterkind.h"
#include "nintei.h"
#include "report.h"
#include "rules.h"
#include "spool.h"
#include "state.h"
#include "store.h"

/* A case whose scheme the forms have not said yet. */
#define REPORT_NO_SCHEME	"未確認"

#define REPORT_NEWEST		5	/* mails and letters listed */
#define REPORT_MONTHS		12	/* months in the charts */
#define REPORT_RECENT_DAYS	30	/* closed cases, unmatched mail */
#define REPORT_CUT		60	/* characters of a subject or detail */

/* What the page is built from, read once. */
struct report {
	struct nintei	*n;
	GString		*out;
	GDateTime	*now;
	char		*today;		/* YYYY-MM-DD, the secretariat's */
	GPtrArray	*cases;		/* of struct caserow */
	GHashTable	*byid;		/* case id -> struct caserow */
	GPtrArray	*latest;	/* the latest event of each case */
	GHashTable	*last;		/* case id -> struct eventrow */
	GPtrArray	*ours;		/* open, the secretariat's move */
	GPtrArray	*theirs;	/* open, the applicant's move */
	GPtrArray	*closed;	/* closed in the last days */
	int		 stale;
	GPtrArray	*letters;	/* the newest not delivered */
	int		 n_letters[4];	/* queued, held, failed, bounced */
	GPtrArray	*quarantined;
	int		 n_quarantined;
	GPtrArray	*unmatched;
	int		 n_unmatched;
	GPtrArray	*renewals;	/* of struct certrow, borrowed */
	GPtrArray	*expired;
	GPtrArray	*certs;
	GHashTable	*valid;		/* service key -> valid number */
	GHashTable	*who;		/* case id -> case_waiting_on's
					   answer (NULL: closed) */
	GHashTable	*notes;		/* case id -> case_fee_note's */
	GPtrArray	*into;		/* every event into approved */
	GHashTable	*renewing;	/* numbers of renewals with a case
					   open */
};

static const char report_style[] =
	":root{color-scheme:light;--fg:#1f2933;--muted:#616e7c;"
	"--line:#d9e2ec;--bg:#f5f7fa;--warn:#b42318;--warnbg:#fef3f2}"
	"*{box-sizing:border-box}"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:15px/1.6 \"Hiragino Sans\",\"Hiragino Kaku Gothic ProN\","
	"\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Yu Gothic UI\",\"Yu Gothic\","
	"Meiryo,system-ui,sans-serif;-webkit-text-size-adjust:100%}"
	"header{background:#102a43;color:#fff;padding:14px 20px}"
	"header h1{margin:0;font-size:1.35rem}"
	"header p{margin:2px 0 0;color:#bcccdc;font-size:.9rem}"
	"main{max-width:1240px;margin:0 auto;padding:16px}"
	"section{background:#fff;border:1px solid var(--line);"
	"border-radius:8px;padding:12px 16px;margin:0 0 16px;min-width:0}"
	"h2{font-size:1.1rem;margin:0 0 8px}"
	"h3{font-size:1rem;margin:14px 0 6px}"
	"h3 .n{color:var(--muted);font-weight:400}"
	".tiles{display:grid;grid-template-columns:repeat(auto-fit,"
	"minmax(128px,1fr));gap:10px;background:none;border:0;padding:0}"
	".tile{background:#fff;border:1px solid var(--line);"
	"border-radius:8px;padding:8px 12px}"
	".tile .k{display:block;font-size:.8rem;color:var(--muted)}"
	".tile .v{font-size:1.6rem;font-weight:700;"
	"font-variant-numeric:tabular-nums}"
	".tile.warn{border-color:#f97066;background:var(--warnbg)}"
	".tile.warn .v{color:var(--warn)}"
	".grid{display:grid;grid-template-columns:repeat(auto-fit,"
	"minmax(min(100%,440px),1fr));gap:16px;margin:0 0 16px}"
	".grid>section{margin:0}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}"
	"th,td{padding:5px 8px;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top;white-space:nowrap}"
	"td.wrap{white-space:normal;min-width:10em}"
	"th{background:#f0f4f8;font-weight:600;font-size:.8rem;color:#334e68}"
	".num{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.stale td{background:var(--warnbg)}"
	".mark{display:inline-block;margin-left:6px;padding:0 6px;"
	"border-radius:4px;background:var(--warn);color:#fff;"
	"font-size:.75rem;font-weight:700}"
	".state{display:inline-block;padding:0 8px;border-radius:999px;"
	"font-size:.8rem;background:#e4e7eb}"
	".t-ours{background:#dbeafe;color:#1e40af}"
	".t-theirs{background:#fef3c7;color:#92400e}"
	".t-good{background:#dcfce7;color:#166534}"
	".t-bad{background:#fee2e2;color:#991b1b}"
	".t-gone{background:#e5e7eb;color:#374151}"
	".muted,.code{color:var(--muted)}.code{font-size:.75rem}"
	".empty{color:var(--muted);margin:4px 0 8px}"
	"figure{margin:0 0 12px}"
	"figcaption{font-size:.85rem;color:var(--muted)}"
	"svg.chart{display:block;width:100%;max-width:520px;height:auto;"
	"font-family:inherit}"
	"footer{max-width:1240px;margin:0 auto;padding:0 16px 24px;"
	"color:var(--muted);font-size:.8rem;overflow-wrap:anywhere}"
	"@media (max-width:600px){body{font-size:14px}main{padding:8px}"
	"section{padding:10px}header{padding:10px 12px}}";

/* The states of a letter not delivered, in the staff's words. */
static const char *const report_letter_states[][2] = {
	{ "queued", "送信待ち" }, { "held", "保留中" }, { "failed", "送信失敗" },
	{ "bounced", "不達" },
};

/* A stored time in the secretariat's zone, in fmt ("" if unreadable). */
static char *
report_local(struct report *r, const char *iso, const char *fmt)
{
	GDateTime	*dt = clock_parse(r->n->conf, iso);
	char		*s;

	if (dt == NULL)
		return g_strdup("");
	s = g_date_time_format(dt, fmt);
	g_date_time_unref(dt);
	return s;
}

/* A kind of letter as its Japanese title (the letter table's). */
static const char *
report_letter_label(const char *kind)
{
	return kind != NULL ? letterkind_label(kind) : "";
}

/* Oldest in their state first. */
static gint
report_by_since(gconstpointer a, gconstpointer b)
{
	const struct caserow	*x = *(struct caserow *const *)a;
	const struct caserow	*y = *(struct caserow *const *)b;
	int			 c = g_strcmp0(x->state_since, y->state_since);

	return c != 0 ? c : g_strcmp0(x->id, y->id);
}

/* Newest in their state first. */
static gint
report_by_since_desc(gconstpointer a, gconstpointer b)
{
	return report_by_since(b, a);
}

static int
report_days(struct report *r, const char *iso)
{
	return clock_days_between(r->n->conf, iso, r->now);
}

/* Does the case wait on the secretariat for longer than allowed? */
static int
report_is_stale(struct report *r, const struct caserow *c)
{
	const char	*w = g_hash_table_lookup(r->who, c->id);

	return w != NULL && strcmp(w, STATE_SECRETARIAT) == 0 &&
	    report_days(r, c->state_since) > r->n->conf->stale_days;
}

/* Sorts the cases into the queue's groups. */
static void
report_group(struct report *r)
{
	struct caserow	*c;
	const char	*w;
	guint		 i;

	r->ours = g_ptr_array_new();
	r->theirs = g_ptr_array_new();
	r->closed = g_ptr_array_new();
	for (i = 0; i < r->cases->len; i++) {
		c = g_ptr_array_index(r->cases, i);
		g_hash_table_insert(r->byid, c->id, c);
		if ((w = g_hash_table_lookup(r->who, c->id)) == NULL) {
			if (report_days(r, c->state_since) <=
			    REPORT_RECENT_DAYS)
				g_ptr_array_add(r->closed, c);
		} else if (strcmp(w, STATE_SECRETARIAT) == 0) {
			g_ptr_array_add(r->ours, c);
			r->stale += report_is_stale(r, c);
		} else
			g_ptr_array_add(r->theirs, c);
	}
	g_ptr_array_sort(r->ours, report_by_since);
	g_ptr_array_sort(r->theirs, report_by_since);
	g_ptr_array_sort(r->closed, report_by_since_desc);
}

/* Sorts certifications by their last valid day. */
static gint
report_by_valid_until(gconstpointer a, gconstpointer b)
{
	const struct certrow	*x = *(struct certrow *const *)a;
	const struct certrow	*y = *(struct certrow *const *)b;

	return g_strcmp0(x->valid_until, y->valid_until);
}

/* The certifications due for renewal in the next four months (as the
 * reminders count them), and those whose last valid day passed in the
 * last month. */
static void
report_certs_due(struct report *r)
{
	struct certrow	*c;
	char		*first, *month_ago;
	guint		 i;

	r->renewals = g_ptr_array_new();
	r->expired = g_ptr_array_new();
	month_ago = cert_months_before(r->today, 1);
	for (i = 0; i < r->certs->len; i++) {
		c = g_ptr_array_index(r->certs, i);
		if (c->valid_until == NULL)
			continue;
		if (strcmp(c->valid_until, r->today) < 0) {
			if (month_ago != NULL &&
			    strcmp(c->valid_until, month_ago) >= 0)
				g_ptr_array_add(r->expired, c);
			continue;
		}
		first = cert_months_before(c->valid_until, 4);
		if (first != NULL && strcmp(first, r->today) <= 0)
			g_ptr_array_add(r->renewals, c);
		g_free(first);
	}
	g_free(month_ago);
	g_ptr_array_sort(r->renewals, report_by_valid_until);
	g_ptr_array_sort(r->expired, report_by_valid_until);
}

/* Reads everything the page shows, before any of it is written: 0, or
 * -1 with *cause (a page from a failed read is not written). */
static int
report_load(struct report *r, char **cause)
{
	struct store	*st = r->n->store;
	struct caserow	*c;
	struct certrow	*cert;
	struct eventrow	*e;
	GDateTime	*since;
	const char	*w;
	char		*iso, *note;
	guint		 i;
	int		 open;

	r->now = clock_now(r->n->conf);
	r->today = g_date_time_format(r->now, "%Y-%m-%d");
	r->byid = g_hash_table_new(g_str_hash, g_str_equal);
	r->last = g_hash_table_new(g_str_hash, g_str_equal);
	r->who = g_hash_table_new(g_str_hash, g_str_equal);
	r->notes = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    g_free);
	r->renewing = g_hash_table_new(g_str_hash, g_str_equal);
	if (store_cases(st, NULL, &r->cases, cause) != 0 ||
	    store_events_latest(st, &r->latest, cause) != 0)
		return -1;
	for (i = 0; i < r->cases->len; i++) {
		c = g_ptr_array_index(r->cases, i);
		if (case_waiting_on(r->n, c, &w, cause) != 0 ||
		    case_fee_note(r->n, c, &note, cause) != 0)
			return -1;
		g_hash_table_insert(r->who, c->id, (gpointer)w);
		if (note != NULL)
			g_hash_table_insert(r->notes, c->id, note);
	}
	for (i = 0; i < r->latest->len; i++) {
		e = g_ptr_array_index(r->latest, i);
		g_hash_table_insert(r->last, e->case_id, e);
	}
	report_group(r);
	if (store_letters_undelivered(st, REPORT_NEWEST, &r->letters,
	    cause) != 0)
		return -1;
	for (i = 0; i < G_N_ELEMENTS(report_letter_states); i++) {
		if (store_letters_count(st, report_letter_states[i][0], NULL,
		    &r->n_letters[i], cause) != 0)
			return -1;
	}
	if (store_messages_recent(st, "quarantined", NULL, REPORT_NEWEST,
	    &r->quarantined, &r->n_quarantined, cause) != 0)
		return -1;
	since = g_date_time_add_days(r->now, -REPORT_RECENT_DAYS);
	iso = clock_iso(since);
	g_date_time_unref(since);
	i = store_messages_recent(st, "unmatched", iso, REPORT_NEWEST,
	    &r->unmatched, &r->n_unmatched, cause) != 0;
	g_free(iso);
	if (i != 0 || store_events_into(st, STATE_APPROVED, &r->into,
	    cause) != 0 || store_certs(st, &r->certs, cause) != 0 ||
	    certs_valid_index(r->n, &r->valid, cause) != 0)
		return -1;
	report_certs_due(r);
	for (i = 0; i < r->renewals->len; i++) {
		cert = g_ptr_array_index(r->renewals, i);
		if (store_renewal_open(st, cert->number, &open, cause) != 0)
			return -1;
		if (open)
			g_hash_table_add(r->renewing, cert->number);
	}
	return 0;
}

static void
report_free(struct report *r)
{
	g_clear_pointer(&r->renewals, g_ptr_array_unref);
	g_clear_pointer(&r->expired, g_ptr_array_unref);
	g_clear_pointer(&r->certs, g_ptr_array_unref);
	g_clear_pointer(&r->valid, g_hash_table_destroy);
	g_clear_pointer(&r->into, g_ptr_array_unref);
	g_clear_pointer(&r->unmatched, g_ptr_array_unref);
	g_clear_pointer(&r->quarantined, g_ptr_array_unref);
	g_clear_pointer(&r->letters, g_ptr_array_unref);
	g_clear_pointer(&r->ours, g_ptr_array_unref);
	g_clear_pointer(&r->theirs, g_ptr_array_unref);
	g_clear_pointer(&r->closed, g_ptr_array_unref);
	g_hash_table_destroy(r->renewing);
	g_hash_table_destroy(r->notes);
	g_hash_table_destroy(r->who);
	g_hash_table_destroy(r->last);
	g_clear_pointer(&r->latest, g_ptr_array_unref);
	g_hash_table_destroy(r->byid);
	g_clear_pointer(&r->cases, g_ptr_array_unref);
	g_free(r->today);
	g_date_time_unref(r->now);
}

/* Opens a table that scrolls sideways on a narrow screen; heads is
 * NULL-terminated, a head starting with '#' is a number column. */
static void
report_table(struct report *r, const char *id, const char *const *heads)
{
	g_string_append(r->out, "<div class=\"scroll\"><table");
	html_attr(r->out, "id", id);
	g_string_append(r->out, "><thead><tr>");
	for (; *heads != NULL; heads++) {
		if (**heads == '#')
			html_elem(r->out, "th", "num", *heads + 1);
		else
			html_elem(r->out, "th", NULL, *heads);
	}
	g_string_append(r->out, "</tr></thead><tbody>");
}

static void
report_table_end(struct report *r)
{
	g_string_append(r->out, "</tbody></table></div>");
}

/* A cell of at most REPORT_CUT characters, the whole text on hover. */
static void
report_td_cut(struct report *r, const char *cls, const char *text)
{
	g_string_append(r->out, "<td");
	html_attr(r->out, "class", cls);
	if (text != NULL && g_utf8_strlen(text, -1) > REPORT_CUT)
		html_attr(r->out, "title", text);
	g_string_append_c(r->out, '>');
	html_text_cut(r->out, text, REPORT_CUT);
	g_string_append(r->out, "</td>");
}

static void
report_td_int(struct report *r, const char *id, int v)
{
	g_string_append(r->out, "<td class=\"num\"");
	html_attr(r->out, "id", id);
	g_string_append_printf(r->out, ">%d</td>", v);
}

/* A stored time as a cell, "11/25 10:15". */
static void
report_td_time(struct report *r, const char *iso)
{
	char	*s = report_local(r, iso, "%m/%d %H:%M");

	html_elem(r->out, "td", NULL, s);
	g_free(s);
}

/* A state as a label coloured by the state table's tone. */
static void
report_state(struct report *r, const char *state)
{
	const struct state	*s = state_find(state);
	char			*cls;

	cls = g_strdup_printf("state s-%s t-%s", state, s != NULL ? s->tone :
	    "gone");

	html_elem(r->out, "span", cls, state_label(state));
	g_free(cls);
}

/* A number at the top of the page, in red when it needs a person. */
static void
report_tile(struct report *r, const char *id, const char *label, int v,
    int warn)
{
	g_string_append_printf(r->out, "<div class=\"tile%s\">",
	    warn ? " warn" : "");
	html_elem(r->out, "span", "k", label);
	g_string_append(r->out, "<span class=\"v\"");
	html_attr(r->out, "id", id);
	g_string_append_printf(r->out, ">%d</span></div>", v);
}

/* The document's head (CSP, viewport, style) and the page's header. */
static void
report_head(struct report *r)
{
	struct conf	*c = r->n->conf;
	char		*when = clock_japanese_datetime(r->now);

	g_string_append(r->out, "<!DOCTYPE html>\n<html lang=\"ja\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
	    "base-uri 'none'; form-action 'none'\">"
	    "<meta name=\"referrer\" content=\"no-referrer\">"
	    "<meta name=\"robots\" content=\"noindex, nofollow\">"
	    "<meta http-equiv=\"refresh\" content=\"300\">"
	    "<title>案件ダッシュボード — ");
	html_text(r->out, c->name, -1);
	g_string_append_printf(r->out, "</title><style>%s</style></head>\n"
	    "<body><header><h1>案件ダッシュボード</h1><p>", report_style);
	html_text(r->out, c->name, -1);
	g_string_append(r->out, "</p><p id=\"generated\">");
	html_text(r->out, when, -1);
	g_string_append(r->out, " 現在（");
	html_text(r->out, c->timezone, -1);
	g_string_append(r->out, "）</p></header>\n<main>");
	g_free(when);
}

/* The summary: what waits on whom, and what needs a person. */
static void
report_tiles(struct report *r)
{
	int	queued = r->n_letters[0];
	int	bad = r->n_letters[1] + r->n_letters[2] + r->n_letters[3];

	g_string_append(r->out, "<section id=\"summary\" class=\"tiles\">");
	report_tile(r, "n-secretariat", "事務局の番", (int)r->ours->len, 0);
	report_tile(r, "n-stale", "うち滞留", r->stale, r->stale > 0);
	report_tile(r, "n-applicant", "申請者の番", (int)r->theirs->len, 0);
	report_tile(r, "n-letters", "未送達の文書", queued + bad, bad > 0);
	report_tile(r, "n-quarantined", "隔離中のメール", r->n_quarantined,
	    r->n_quarantined > 0);
	report_tile(r, "n-unmatched", "未分類のメール", r->n_unmatched, 0);
	report_tile(r, "n-renewals", "更新期限が近い認定",
	    (int)r->renewals->len, 0);
	report_tile(r, "n-expired", "最近失効した認定", (int)r->expired->len,
	    0);
	g_string_append(r->out, "</section>\n");
}

/* One case of the queue; closed cases count days since they closed. */
static void
report_case(struct report *r, const struct caserow *c)
{
	const struct eventrow	*e = g_hash_table_lookup(r->last, c->id);
	const char		*dup;
	char			*text;
	int			 stale = report_is_stale(r, c);

	g_string_append(r->out, "<tr");
	text = g_strdup_printf("case-%s", c->id);
	html_attr(r->out, "id", text);
	g_free(text);
	html_attr(r->out, "data-state", c->state);
	if (stale)
		html_attr(r->out, "class", "stale");
	g_string_append(r->out, "><td>");
	html_text(r->out, c->id, -1);
	g_string_append(r->out, "</td><td>");
	html_text(r->out, rules_scheme_name(r->n->rules, c->scheme,
	    REPORT_NO_SCHEME), -1);
	if (c->kind != NULL) {
		g_string_append(r->out, " ");
		html_elem(r->out, "span", "muted", check_kind_label(c->kind));
	}
	g_string_append(r->out, "</td>");
	if (c->company != NULL && *c->company != '\0')
		report_td_cut(r, "wrap", c->company);
	else {
		g_string_append(r->out, "<td class=\"wrap\">");
		html_elem(r->out, "span", "muted", c->applicant);
		g_string_append(r->out, "</td>");
	}
	report_td_cut(r, "wrap", c->service != NULL && *c->service != '\0' ?
	    c->service : "—");
	g_string_append(r->out, "<td>");
	report_state(r, c->state);
	if ((text = g_hash_table_lookup(r->notes, c->id)) != NULL) {
		g_string_append(r->out, " ");
		html_elem(r->out, "span", "mark", text);
	}
	if ((dup = certs_duplicate_in(r->valid, c)) != NULL) {
		text = g_strdup_printf("認定あり %s（更新・変更か確認）", dup);
		g_string_append(r->out, " ");
		html_elem(r->out, "span", "mark", text);
		g_free(text);
	}
	g_string_append_printf(r->out, "</td><td class=\"num\">%d日",
	    report_days(r, c->state_since));
	if (stale)
		html_elem(r->out, "span", "mark", "滞留");
	g_string_append(r->out, "</td>");
	g_string_append(r->out, "<td class=\"wrap\">");
	if (e != NULL) {
		text = report_local(r, e->at, "%m/%d %H:%M");
		html_elem(r->out, "span", "muted", text);
		g_free(text);
		text = event_text(e);
		g_string_append_c(r->out, ' ');
		html_text_cut(r->out, text, REPORT_CUT);
		g_free(text);
	}
	g_string_append(r->out, "</td></tr>\n");
}

/* One group of the queue, under its heading. */
static void
report_cases(struct report *r, const char *id, const char *title,
    GPtrArray *cases, const char *days, const char *none)
{
	const char *const	 heads[] = { "案件", "制度", "事業者",
				    "サービス", "状態", days, "最新の経過",
				    NULL };
	guint			 i;

	g_string_append(r->out, "<h3>");
	html_text(r->out, title, -1);
	g_string_append_printf(r->out, " <span class=\"n\">%u件</span></h3>",
	    cases->len);
	if (cases->len == 0) {
		html_elem(r->out, "p", "empty", none);
		return;
	}
	report_table(r, id, heads);
	for (i = 0; i < cases->len; i++)
		report_case(r, g_ptr_array_index(cases, i));
	report_table_end(r);
}

/* The queue: the secretariat's move, the applicant's, recently closed. */
static void
report_queue(struct report *r)
{
	char	*title;

	g_string_append(r->out, "<section id=\"queue\"><h2>案件の待ち行列"
	    "</h2>");
	title = g_strdup_printf("事務局の番（%d日を超えて待つ案件に「滞留」）",
	    r->n->conf->stale_days);
	report_cases(r, "queue-secretariat", title, r->ours, "#日数",
	    "事務局の対応を待つ案件はありません。");
	g_free(title);
	report_cases(r, "queue-applicant", "申請者の番", r->theirs, "#日数",
	    "申請者の対応を待つ案件はありません。");
	title = g_strdup_printf("最近完了した案件（%d日以内）",
	    REPORT_RECENT_DAYS);
	report_cases(r, "queue-closed", title, r->closed, "#経過",
	    "最近完了した案件はありません。");
	g_free(title);
	g_string_append(r->out, "</section>\n");
}

/* Adds one to the count of key (a string the table does not own). */
static void
report_count(GHashTable *h, const char *key)
{
	g_hash_table_insert(h, (gpointer)key, GINT_TO_POINTER(
	    GPOINTER_TO_INT(g_hash_table_lookup(h, key)) + 1));
}

static int
report_counted(GHashTable *h, const char *key)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(h, key));
}

/* A row of a count table: label, code, then the counts. */
static void
report_count_row(struct report *r, const char *label, const char *code,
    const char *what, int v, int open)
{
	char	*id;

	g_string_append(r->out, "<tr><td>");
	html_text(r->out, label, -1);
	g_string_append_c(r->out, ' ');
	html_elem(r->out, "span", "code", code);
	g_string_append(r->out, "</td>");
	if (open >= 0)
		report_td_int(r, NULL, open);
	id = g_strdup_printf("n-%s-%s", what, code);
	report_td_int(r, id, v);
	g_free(id);
	g_string_append(r->out, "</tr>");
}

/* Counts by state (every state, in lifecycle order) and by scheme (open
 * and all). */
static void
report_counts(struct report *r)
{
	const char *const	 sh[] = { "状態", "#件数", NULL };
	const char *const	 ch[] = { "制度", "#進行中", "#全件", NULL };
	GHashTable		*states, *schemes, *open;
	GPtrArray		*codes;
	const struct scheme	*s;
	struct caserow		*c;
	const char		*code;
	guint			 i;

	states = g_hash_table_new(g_str_hash, g_str_equal);
	schemes = g_hash_table_new(g_str_hash, g_str_equal);
	open = g_hash_table_new(g_str_hash, g_str_equal);
	codes = g_ptr_array_new();
	if (r->n->rules != NULL) {
		for (i = 0; i < r->n->rules->schemes->len; i++) {
			s = g_ptr_array_index(r->n->rules->schemes, i);
			g_ptr_array_add(codes, s->code);
			g_hash_table_insert(schemes, s->code, GINT_TO_POINTER(0));
		}
	}
	for (i = 0; i < r->cases->len; i++) {
		c = g_ptr_array_index(r->cases, i);
		code = c->scheme != NULL ? c->scheme : "none";
		report_count(states, c->state);
		if (!g_hash_table_contains(schemes, code))
			g_ptr_array_add(codes, (gpointer)code);
		report_count(schemes, code);
		if (state_waiting_on(c->state) != NULL)
			report_count(open, code);
	}
	g_string_append(r->out, "<section id=\"counts\"><h2>件数</h2>"
	    "<h3>状態別</h3>");
	report_table(r, "by-state", sh);
	for (i = 0; (code = state_nth(i)) != NULL; i++)
		report_count_row(r, state_label(code), code, "state",
		    report_counted(states, code), -1);
	report_table_end(r);
	g_string_append(r->out, "<h3>制度別</h3>");
	report_table(r, "by-scheme", ch);
	for (i = 0; i < codes->len; i++) {
		code = g_ptr_array_index(codes, i);
		report_count_row(r, rules_scheme_name(r->n->rules,
		    strcmp(code, "none") == 0 ? NULL : code, REPORT_NO_SCHEME),
		    code, "scheme",
		    report_counted(schemes, code), report_counted(open, code));
	}
	report_table_end(r);
	g_string_append(r->out, "</section>\n");
	g_ptr_array_free(codes, TRUE);
	g_hash_table_destroy(open);
	g_hash_table_destroy(schemes);
	g_hash_table_destroy(states);
}

/* The index of the chart month of a stored time, or -1 outside them. */
static int
report_month(struct report *r, GDateTime *first, const char *iso)
{
	GDateTime	*dt = clock_parse(r->n->conf, iso);
	int		 m;

	if (dt == NULL)
		return -1;
	m = (g_date_time_get_year(dt) - g_date_time_get_year(first)) * 12 +
	    g_date_time_get_month(dt) - g_date_time_get_month(first);
	g_date_time_unref(dt);
	return m >= 0 && m < REPORT_MONTHS ? m : -1;
}

/* Applications received per month, and the days from receipt to
 * approval (the mean of the approvals of each month). */
static void
report_charts(struct report *r)
{
	struct html_bar		 got[REPORT_MONTHS], days[REPORT_MONTHS];
	char			*labels[REPORT_MONTHS], *from, *to, *text;
	char			 mean[G_ASCII_DTOSTR_BUF_SIZE];
	int			 approvals[REPORT_MONTHS], total = 0, m, d;
	GDateTime		*start, *first, *at;
	GPtrArray		*into;
	struct eventrow		*e;
	const struct caserow	*c;
	double			 sum = 0;
	guint			 i;

	start = g_date_time_new(g_date_time_get_timezone(r->now),
	    g_date_time_get_year(r->now), g_date_time_get_month(r->now), 1,
	    0, 0, 0);
	first = g_date_time_add_months(start, 1 - REPORT_MONTHS);
	for (m = 0; m < REPORT_MONTHS; m++) {
		at = g_date_time_add_months(first, m);
		labels[m] = g_strdup_printf("%d月",
		    g_date_time_get_month(at));
		g_date_time_unref(at);
		got[m].label = days[m].label = labels[m];
		got[m].value = days[m].value = 0;
		approvals[m] = 0;
	}
	for (i = 0; i < r->cases->len; i++) {
		c = g_ptr_array_index(r->cases, i);
		if ((m = report_month(r, first, c->opened_at)) >= 0)
			got[m].value++;
	}
	into = r->into;
	for (i = 0; i < into->len; i++) {
		e = g_ptr_array_index(into, i);
		c = g_hash_table_lookup(r->byid, e->case_id);
		if (c == NULL || (m = report_month(r, first, e->at)) < 0 ||
		    (at = clock_parse(r->n->conf, e->at)) == NULL)
			continue;
		d = clock_days_between(r->n->conf, c->opened_at, at);
		g_date_time_unref(at);
		days[m].value += d;
		sum += d;
		approvals[m]++;
		total++;
	}
	for (m = 0; m < REPORT_MONTHS; m++) {
		if (approvals[m] > 0)
			days[m].value /= approvals[m];
	}
	from = g_date_time_format(first, "%Y年%-m月");
	to = g_date_time_format(start, "%Y年%-m月");
	g_string_append(r->out, "<section id=\"charts\"><h2>推移</h2>"
	    "<figure>");
	html_bar_chart(r->out, "月別の申請受付件数", got, REPORT_MONTHS, "件");
	text = g_strdup_printf("月別の申請受付件数（%s〜%s）", from, to);
	html_elem(r->out, "figcaption", NULL, text);
	g_free(text);
	g_string_append(r->out, "</figure><figure>");
	html_bar_chart(r->out, "受付から認定までの日数（認定月別の平均）",
	    days, REPORT_MONTHS, "日");
	if (total > 0) {
		g_ascii_formatd(mean, sizeof mean, "%.1f", sum / total);
		text = g_strdup_printf("受付から認定までの日数、認定月別の平均"
		    "（この%dか月の認定 %d 件、平均 %s 日）", REPORT_MONTHS,
		    total, mean);
	} else
		text = g_strdup_printf("受付から認定までの日数（この%dか月に"
		    "認定はありません）", REPORT_MONTHS);
	html_elem(r->out, "figcaption", NULL, text);
	g_free(text);
	g_string_append(r->out, "</figure></section>\n");
	for (m = 0; m < REPORT_MONTHS; m++)
		g_free(labels[m]);
	g_free(from);
	g_free(to);
	g_date_time_unref(first);
	g_date_time_unref(start);
}

/* The letters that did not reach their recipients yet. */
static void
report_letters(struct report *r)
{
	const char *const	 heads[] = { "作成", "案件", "文書", "状態",
				    "宛先", "エラー", NULL };
	struct letterrow	*l;
	char			*id;
	guint			 i, j;
	int			 total = 0;

	g_string_append(r->out, "<section id=\"letters\"><h2>未送達の文書"
	    "</h2><p>");
	for (j = 0; j < G_N_ELEMENTS(report_letter_states); j++) {
		html_text(r->out, report_letter_states[j][1], -1);
		id = g_strdup_printf("n-letters-%s",
		    report_letter_states[j][0]);
		g_string_append(r->out, " <b");
		html_attr(r->out, "id", id);
		g_string_append_printf(r->out, ">%d</b>件%s", r->n_letters[j],
		    j + 1 < G_N_ELEMENTS(report_letter_states) ? "、" : "");
		g_free(id);
		total += r->n_letters[j];
	}
	g_string_append(r->out, "</p>");
	if (r->letters->len == 0) {
		html_elem(r->out, "p", "empty", "すべての文書が送達済みです。");
		g_string_append(r->out, "</section>\n");
		return;
	}
	report_table(r, "letters-undelivered", heads);
	for (i = 0; i < r->letters->len; i++) {
		l = g_ptr_array_index(r->letters, i);
		g_string_append(r->out, "<tr>");
		report_td_time(r, l->created_at);
		html_elem(r->out, "td", NULL, l->case_id != NULL ?
		    l->case_id : "—");
		html_elem(r->out, "td", NULL, report_letter_label(l->kind));
		for (j = 0; j < G_N_ELEMENTS(report_letter_states); j++) {
			if (strcmp(l->state, report_letter_states[j][0]) == 0)
				html_elem(r->out, "td", NULL,
				    report_letter_states[j][1]);
		}
		report_td_cut(r, "wrap", l->rcpt);
		report_td_cut(r, "wrap", l->held != NULL ? l->held :
		    l->last_error != NULL ? l->last_error : "");
		g_string_append(r->out, "</tr>\n");
	}
	report_table_end(r);
	if (total > (int)r->letters->len)
		g_string_append_printf(r->out, "<p class=\"muted\">新しい %u "
		    "通のみ表示</p>", r->letters->len);
	g_string_append(r->out, "</section>\n");
}

/* The newest mails of a disposition: when, sender and subject only. */
static void
report_mails(struct report *r, const char *id, const char *title,
    GPtrArray *mails, int count, const char *none)
{
	const char *const	 heads[] = { "受信", "差出人", "件名", NULL };
	struct msgrow		*m;
	guint			 i;

	g_string_append(r->out, "<h3>");
	html_text(r->out, title, -1);
	g_string_append_printf(r->out, " <span class=\"n\">%d件</span></h3>",
	    count);
	if (mails->len == 0) {
		html_elem(r->out, "p", "empty", none);
		return;
	}
	report_table(r, id, heads);
	for (i = 0; i < mails->len; i++) {
		m = g_ptr_array_index(mails, i);
		g_string_append(r->out, "<tr>");
		report_td_time(r, m->received_at);
		report_td_cut(r, NULL, m->sender);
		report_td_cut(r, "wrap", m->subject != NULL ? m->subject : "");
		g_string_append(r->out, "</tr>\n");
	}
	report_table_end(r);
}

/* Quarantined mail (all still held) and unmatched mail (recent). */
static void
report_mail(struct report *r)
{
	char	*title;

	g_string_append(r->out, "<section id=\"mail\"><h2>人の確認を待つメール"
	    "</h2>");
	report_mails(r, "mail-quarantined", "隔離中", r->quarantined,
	    r->n_quarantined, "隔離中のメールはありません。");
	title = g_strdup_printf("未分類（%d日以内）", REPORT_RECENT_DAYS);
	report_mails(r, "mail-unmatched", title, r->unmatched, r->n_unmatched,
	    "未分類のメールはありません。");
	g_free(title);
	g_string_append(r->out, "</section>\n");
}

/* A list of certifications: renewals due, or recently expired. */
static void
report_certs(struct report *r, const char *id, const char *title,
    GPtrArray *certs, int due, const char *none)
{
	const char *const	 heads[] = { "認定番号", "制度", "事業者",
				    "サービス", "有効期限", due ? "#残り" :
				    "#失効から", due ? "更新案内" : NULL,
				    NULL };
	struct certrow		*c;
	GDateTime		*until;
	char			*jp;
	guint			 i;
	int			 left;

	g_string_append_printf(r->out, "<section id=\"%s\"><h2>", id);
	html_text(r->out, title, -1);
	g_string_append_printf(r->out, " <span class=\"n\">%u件</span></h2>",
	    certs->len);
	if (certs->len == 0) {
		html_elem(r->out, "p", "empty", none);
		g_string_append(r->out, "</section>\n");
		return;
	}
	report_table(r, NULL, heads);
	for (i = 0; i < certs->len; i++) {
		c = g_ptr_array_index(certs, i);
		g_string_append(r->out, "<tr class=\"cert\"");
		html_attr(r->out, "data-number", c->number);
		g_string_append(r->out, ">");
		html_elem(r->out, "td", NULL, c->number);
		html_elem(r->out, "td", NULL, rules_scheme_name(r->n->rules,
		    c->scheme, REPORT_NO_SCHEME));
		report_td_cut(r, "wrap", c->company);
		report_td_cut(r, "wrap", c->service);
		jp = clock_japanese_day(c->valid_until);
		html_elem(r->out, "td", NULL, jp);
		g_free(jp);
		until = clock_parse(r->n->conf, c->valid_until);
		left = until != NULL ? clock_days_between(r->n->conf,
		    r->today, until) : 0;
		if (until != NULL)
			g_date_time_unref(until);
		g_string_append_printf(r->out, "<td class=\"num\">%d日</td>",
		    due ? left : -left);
		if (due)
			html_elem(r->out, "td", NULL,
			    g_hash_table_contains(r->renewing, c->number) ?
			    "更新申請中" : c->reminded_first != NULL ?
			    "案内済み" : "未案内");
		g_string_append(r->out, "</tr>\n");
	}
	report_table_end(r);
	g_string_append(r->out, "</section>\n");
}

/* When the page was made, by what, from which store. */
static void
report_foot(struct report *r)
{
	char	*db = g_build_filename(r->n->conf->store, "nintei.db", NULL);
	char	*when = clock_japanese_datetime(r->now);

	g_string_append(r->out, "</main>\n<footer><p id=\"source\">");
	html_text(r->out, when, -1);
	g_string_append(r->out, "に nintei " NINTEI_VERSION " がストア ");
	html_elem(r->out, "code", NULL, db);
	g_string_append(r->out, " から生成。読み取り専用の表示です。操作は "
	    "nintei のコマンドで行います。</p></footer>\n</body></html>\n");
	g_free(when);
	g_free(db);
}

/*
 * The dashboard page of the store, as one HTML document: 0 with *page,
 * or -1 with *cause when the store could not be read.  Scheme names come
 * from the rules when the caller loaded them.
 */
int
report_html(struct nintei *n, char **page, char **cause)
{
	struct report	r;

	*page = NULL;
	memset(&r, 0, sizeof r);
	r.n = n;
	if (report_load(&r, cause) != 0) {
		report_free(&r);
		return -1;
	}
	r.out = g_string_sized_new(64 * 1024);
	report_head(&r);
	report_tiles(&r);
	report_queue(&r);
	g_string_append(r.out, "<div class=\"grid\">");
	report_counts(&r);
	report_charts(&r);
	g_string_append(r.out, "</div>\n<div class=\"grid\">");
	report_letters(&r);
	report_mail(&r);
	g_string_append(r.out, "</div>\n");
	report_certs(&r, "renewals", "更新期限が4か月以内の認定", r.renewals, 1,
	    "4か月以内に有効期限を迎える認定はありません。");
	report_certs(&r, CERT_EXPIRED, "この1か月に失効した認定", r.expired, 0,
	    "この1か月に失効した認定はありません。");
	report_foot(&r);
	report_free(&r);
	*page = g_string_free(r.out, FALSE);
	return 0;
}

/* Writes the dashboard to path (its folder made if missing): a new file
 * renamed over the old, so that a web server never serves half a page. */
int
report_write(struct nintei *n, const char *path, char **cause)
{
	char	*page, *dir = g_path_get_dirname(path);
	int	 r;

	/* Readable by all: a web server serves it under its own user. */
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		*cause = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		g_free(dir);
		return -1;
	}
	g_free(dir);
	if (report_html(n, &page, cause) != 0)
		return -1;
	r = spool_write_atomic(path, page, strlen(page), cause);
	g_free(page);
	return r;
}
